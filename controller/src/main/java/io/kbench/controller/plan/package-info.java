/** Planning a run's agents over the live workers. */
package io.kbench.controller.plan;
