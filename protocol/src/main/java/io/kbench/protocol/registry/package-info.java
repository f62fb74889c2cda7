/** The member registry: heartbeats and the live view. */
package io.kbench.protocol.registry;
