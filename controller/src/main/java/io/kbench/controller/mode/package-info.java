/** Run modes beyond a fixed-rate run: max-rate discovery and backlog build and drain. */
package io.kbench.controller.mode;
