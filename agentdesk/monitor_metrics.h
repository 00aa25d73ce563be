/* monitor_metrics.h — the floor's holistic figures on screen (model.metrics, from the hub's
 * floor.metrics): the one-line summary under the header, and the Metrics view's table,
 * one row for all, then one per queue, then one per agent. Text only: monitor_view.c places
 * the widgets. */
#ifndef AGENTDESK_MONITOR_METRICS_H
#define AGENTDESK_MONITOR_METRICS_H

#include <stddef.h>
#include "agentdesk/model.h"
#include "widgets/table.h"

/* The summary line for `cols` columns: handle and waiting time, uplift, share ending
 * negative, repeat contacts (shortened as the screen narrows). */
void monitor_metrics_line(const model *m, int cols, char *out, size_t n);
/* The Metrics view's table over m->metrics (the model outlives it). */
table *monitor_metrics_table(const model *m);
/* Rows of that table: all, the queues, the agents (0 before any figures arrived). */
size_t monitor_metrics_rows(const model *m);

#endif
