/** HdrHistogram encoding for the wire, in microseconds. */
package io.kbench.protocol.histogram;
