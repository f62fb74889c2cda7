/** kbench's wire protocol: the envelope, its codec and the daemon-agent pipe contract. */
package io.kbench.protocol;
