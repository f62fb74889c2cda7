/** Result files: OMB's JSON format with a kbench section, the CSV summary and the console table. */
package io.kbench.controller.result;
