/** The self-contained local fleet: embedded broker, aggregator and worker daemon in one process. */
package io.kbench.controller.local;
