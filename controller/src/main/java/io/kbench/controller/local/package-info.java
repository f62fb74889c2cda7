/** Local mode as the controller sees it: the in-process fleet of the optional kbench-local module. */
package io.kbench.controller.local;
