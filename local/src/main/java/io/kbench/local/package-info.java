/**
 * The heavy half of local mode: an embedded broker, an aggregator and a worker daemon in one process
 * ({@code kbench local}, {@code kbench sweep --local}), and {@code kbench broker}. Its own module so that only
 * those commands load the broker and Scala; the launcher puts it on the class path for them alone.
 */
package io.kbench.local;
