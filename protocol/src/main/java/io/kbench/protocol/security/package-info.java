/** HMAC signing and verification of control records. */
package io.kbench.protocol.security;
