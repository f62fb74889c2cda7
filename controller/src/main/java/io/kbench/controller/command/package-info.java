/** The kbench command line: one picocli command per verb, all returning meaningful exit codes. */
package io.kbench.controller.command;
