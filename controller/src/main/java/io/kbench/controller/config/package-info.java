/** Reading OMB workload and driver files strictly, with errors that name file, line, field and value. */
package io.kbench.controller.config;
