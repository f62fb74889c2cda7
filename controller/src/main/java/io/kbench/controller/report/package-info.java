/**
 * {@code kbench report}: self-contained HTML reports of one run, several runs side by side (kbench's and OMB's
 * result files alike) and a sweep, charted with Apache ECharts inlined into the page; and HdrHistogram percentile
 * files ({@code .hgrm}) of a run's merged histograms.
 */
package io.kbench.controller.report;
