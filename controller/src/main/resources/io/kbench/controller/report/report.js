/* kbench report: draws the charts of a run, a comparison of runs, or a sweep, from the page's JSON data. */
(function () {
  'use strict';
  var doc = JSON.parse(document.getElementById('kbench-data').textContent);
  var root = document.getElementById('report');
  var charts = [];
  var KINDS = [
    ['publishLatency', 'Publish latency'],
    ['publishDelay', 'Publish delay'],
    ['endToEndLatency', 'End-to-end latency'],
    ['intendedLatency', 'Intended-to-ack latency']
  ];
  var PCTS = [['50pct', 'p50', 'solid'], ['99pct', 'p99', 'dashed'], ['999pct', 'p99.9', 'dotted']];
  var COLORS = ['#1565c0', '#c62828', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f', '#4e342e', '#ad1457'];

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      e.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return e;
  }
  function section(title, parent) {
    var s = el('section', {}, [el('h2', {}, [title])]);
    (parent || root).appendChild(s);
    return s;
  }
  function fmt(v, digits) {
    if (v === null || v === undefined || isNaN(v)) { return '–'; }
    return Number(v).toLocaleString('en-US', { maximumFractionDigits: digits === undefined ? 2 : digits });
  }
  function chart(parent, id, option) {
    var div = el('div', { 'class': 'chart', id: id });
    parent.appendChild(div);
    var c = echarts.init(div, null, { renderer: 'canvas' });
    option.animation = false;
    option.color = option.color || COLORS;
    option.tooltip = option.tooltip || { trigger: 'axis' };
    option.grid = option.grid || { left: 70, right: 60, top: 78, bottom: 45 };
    c.setOption(option);
    charts.push({ id: id, chart: c });
    return c;
  }
  function table(parent, head, rows, numeric) {
    var t = el('table');
    t.appendChild(el('tr', {}, head.map(function (h, i) {
      return el('th', numeric && i > 0 ? { 'class': 'num' } : {}, [h]);
    })));
    rows.forEach(function (r) {
      t.appendChild(el('tr', {}, r.map(function (cell, i) {
        var node = cell instanceof Node ? cell : document.createTextNode(String(cell));
        var td = el('td', numeric && i > 0 ? { 'class': 'num' } : {});
        td.appendChild(node);
        return td;
      })));
    });
    parent.appendChild(t);
    return t;
  }
  function timeAxis(name) {
    return { type: 'value', name: name || 'time (s)', nameLocation: 'middle', nameGap: 28, min: 0 };
  }
  function valueAxis(name, extra) {
    var a = { type: 'value', name: name, nameGap: 12, scale: false };
    Object.keys(extra || {}).forEach(function (k) { a[k] = extra[k]; });
    return a;
  }
  /* HdrHistogram's plot: x = 1/(1-q) on a log axis, labelled with the percentile. */
  function percentileAxis() {
    return {
      type: 'log', logBase: 10, min: 1, name: 'percentile', nameLocation: 'middle', nameGap: 28,
      axisLabel: {
        formatter: function (x) {
          var p = 100 * (1 - 1 / x);
          return p.toFixed(Math.max(0, Math.round(Math.log10(x)) - 2)) + '%';
        }
      }
    };
  }
  function legend(names) { return { data: names, top: 24, type: 'scroll' }; }
  function title(text) { return { text: text, textStyle: { fontSize: 14 } }; }

  function runLabel(run, i) { return doc.kind === 'run' ? '' : 'run ' + (i + 1) + ': '; }

  function ratesChart(parent, runs) {
    var series = [];
    runs.forEach(function (run, i) {
      /* One run: a colour per figure; several: a colour per run, a line style per figure. */
      var color = function (figure) { return COLORS[(runs.length > 1 ? i : figure) % COLORS.length]; };
      series.push({ name: runLabel(run, i) + 'publish msg/s', type: 'line', showSymbol: false, data: run.publishRate,
        lineStyle: { color: color(0) }, itemStyle: { color: color(0) } });
      series.push({ name: runLabel(run, i) + 'consume msg/s', type: 'line', showSymbol: false, data: run.consumeRate,
        lineStyle: { color: color(1), type: 'dashed' }, itemStyle: { color: color(1) } });
      series.push({ name: runLabel(run, i) + 'backlog (msgs)', type: 'line', showSymbol: false, yAxisIndex: 1,
        data: run.backlog, lineStyle: { color: color(2), type: 'dotted' }, itemStyle: { color: color(2) } });
    });
    chart(parent, 'rates', {
      title: title('Publish and consume rate, backlog'),
      legend: legend(series.map(function (s) { return s.name; })),
      xAxis: timeAxis(), yAxis: [valueAxis('msg/s'), valueAxis('backlog', { splitLine: { show: false } })],
      series: series
    });
  }
  function latencyOverTime(parent, runs) {
    var grid = el('div', { 'class': 'grid' });
    parent.appendChild(grid);
    KINDS.forEach(function (kind) {
      var series = [];
      runs.forEach(function (run, i) {
        var byPct = run.latencyOverTime[kind[0]];
        if (!byPct) { return; }
        PCTS.forEach(function (p) {
          if (!byPct[p[0]]) { return; }
          var color = runs.length > 1 ? COLORS[i % COLORS.length] : COLORS[PCTS.indexOf(p)];
          series.push({ name: runLabel(run, i) + p[1], type: 'line', showSymbol: false, data: byPct[p[0]],
            lineStyle: { color: color, type: runs.length > 1 ? p[2] : 'solid' }, itemStyle: { color: color } });
        });
      });
      if (series.length === 0) { return; }
      chart(grid, 'over-time-' + kind[0], {
        title: title(kind[1] + ' over time'), legend: legend(series.map(function (s) { return s.name; })),
        xAxis: timeAxis(), yAxis: valueAxis('ms'), series: series
      });
    });
  }
  function distributions(parent, runs) {
    var grid = el('div', { 'class': 'grid' });
    parent.appendChild(grid);
    KINDS.forEach(function (kind) {
      var series = [];
      runs.forEach(function (run, i) {
        var curve = run.distribution[kind[0]];
        if (!curve) { return; }
        series.push({ name: (runs.length > 1 ? 'run ' + (i + 1) : kind[1]), type: 'line', showSymbol: false,
          data: curve, lineStyle: { color: COLORS[i % COLORS.length] }, itemStyle: { color: COLORS[i % COLORS.length] } });
      });
      if (series.length === 0) { return; }
      chart(grid, 'distribution-' + kind[0], {
        title: title(kind[1] + ': percentile distribution'), legend: legend(series.map(function (s) { return s.name; })),
        tooltip: { trigger: 'axis', valueFormatter: function (v) { return fmt(v, 3) + ' ms'; } },
        xAxis: percentileAxis(), yAxis: valueAxis('ms'), series: series
      });
    });
  }
  function perIdChart(parent, id, heading, rows) {
    if (!rows || rows.length === 0) { return; }
    chart(parent, id, {
      title: title(heading), legend: legend(['publish msg/s', 'consume msg/s']),
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 70, right: 30, top: 78, bottom: 90 },
      xAxis: { type: 'category', data: rows.map(function (r) { return r[0]; }), axisLabel: { rotate: 30, fontSize: 10 } },
      yAxis: valueAxis('msg/s'),
      series: [
        { name: 'publish msg/s', type: 'bar', data: rows.map(function (r) { return r[1]; }) },
        { name: 'consume msg/s', type: 'bar', data: rows.map(function (r) { return r[2]; }) }
      ]
    });
  }
  function cpuChart(parent, runs) {
    var series = runs.filter(function (r) { return r.cpuPercent.length > 0; }).map(function (run, i) {
      return { name: runLabel(run, i) + 'CPU % (all agents, % of one core)', type: 'line', showSymbol: false,
        data: run.cpuPercent };
    });
    if (series.length === 0) { return; }
    chart(parent, 'cpu', {
      title: title('Agents\u2019 CPU over time'), legend: legend(series.map(function (s) { return s.name; })),
      xAxis: timeAxis(), yAxis: valueAxis('% of one core'), series: series
    });
  }
  function facts(parent, run) {
    var status = el('p', {}, [el('span', { 'class': 'status ' + run.status }, [run.status])]);
    if (run.statusReason) { status.appendChild(document.createTextNode(' ' + run.statusReason)); }
    parent.appendChild(status);
    if (run.notes.length > 0) {
      parent.appendChild(el('ul', { 'class': 'note' }, run.notes.map(function (n) { return el('li', {}, [n]); })));
    }
    table(parent, ['', ''], run.facts.concat([['file', run.file], ['time axis', run.timeAxis]]));
  }
  /* The comparison's table: each run's figure and its change against run 1. */
  function deltas(parent, runs) {
    var metrics = [['publish rate (msg/s)', function (r) { return r.summary.publishRate; }, 1],
                   ['consume rate (msg/s)', function (r) { return r.summary.consumeRate; }, 1],
                   ['agents\u2019 CPU (% of one core)', function (r) { return r.summary.cpuPercent; }, -1]];
    KINDS.forEach(function (k) {
      PCTS.forEach(function (p) {
        metrics.push([k[1] + ' ' + p[1] + ' (ms)', function (r) { return (r.summary[k[0]] || {})[p[0]]; }, -1]);
      });
    });
    var rows = metrics.map(function (m) {
      var base = m[1](runs[0]);
      return [m[0]].concat(runs.map(function (run, i) {
        var v = m[1](run);
        if (i === 0 || v === null || v === undefined || base === null || base === undefined || base === 0) {
          return fmt(v);
        }
        var change = 100 * (v - base) / base;
        var span = el('span', { 'class': Math.abs(change) < 0.05 ? '' : change * m[2] > 0 ? 'better' : 'worse' },
          [fmt(v) + ' (' + (change >= 0 ? '+' : '') + change.toFixed(1) + ' %)']);
        return span;
      }));
    });
    table(parent, ['metric'].concat(runs.map(function (r, i) { return 'run ' + (i + 1); })), rows, true);
    parent.appendChild(el('p', { 'class': 'note' }, ['Changes are against run 1; green is better (higher rates, lower latency and CPU).']));
  }

  function drawRuns(runs) {
    var head = section(runs.length > 1 ? 'Runs compared' : 'Run');
    if (runs.length > 1) {
      table(head, ['', 'file', 'origin', 'status', 'workload', 'driver'], runs.map(function (r, i) {
        var f = {};
        r.facts.forEach(function (x) { f[x[0]] = x[1]; });
        return ['run ' + (i + 1), r.file, r.origin, r.status, f.workload || '', f.driver || ''];
      }));
      deltas(section('Deltas'), runs);
    } else {
      facts(head, runs[0]);
    }
    ratesChart(section('Throughput and backlog'), runs);
    latencyOverTime(section('Latency over time (p50, p99, p99.9)'), runs);
    distributions(section('Latency percentile distribution (whole run, merged histograms)'), runs);
    var load = section('Per agent, per worker, CPU');
    runs.forEach(function (run, i) {
      perIdChart(load, 'per-agent-' + i, runLabel(run, i) + 'Rate per agent', run.perAgent);
      perIdChart(load, 'per-worker-' + i, runLabel(run, i) + 'Rate per worker', run.perWorker);
    });
    cpuChart(load, runs);
    if (load.querySelectorAll('.chart').length === 0) {
      load.appendChild(el('p', { 'class': 'note' }, ['No per-agent, per-worker or CPU figures in these files (OMB results have none).']));
    }
    if (runs.length > 1) {
      runs.forEach(function (run, i) { facts(section('Run ' + (i + 1) + ': ' + run.label), run); });
    }
  }

  function drawSweep(sweep) {
    var pts = sweep.points;
    var n = function (p) { return p.scale; };
    var head = section('Sweep ' + sweep.sweepId + ' over ' + sweep.dimension);
    table(head, ['n', 'msg/s', 'MB/s', 'p99 publish ms', 'p99 e2e ms', 'CPU %', 'efficiency', '', 'p99 growth', '',
                 'msg/s per 1 % CPU'], pts.map(function (p) {
      return [fmt(p.scale, 0), fmt(p.throughput, 0), fmt(p.publishMBps), fmt(p.p99PublishLatencyUs / 1000),
        fmt(p.p99EndToEndLatencyUs / 1000), fmt(p.cpuPercent, 0), fmt(100 * p.throughputEfficiency, 1) + ' %',
        el('span', { 'class': 'grade-' + p.efficiencyGrade }, [p.efficiencyGrade]),
        fmt(100 * p.latencyGrowth, 1) + ' %', el('span', { 'class': 'grade-' + p.latencyGrowthGrade }, [p.latencyGrowthGrade]),
        fmt(p.msgPerCpuPercent, 0)];
    }), true);
    head.appendChild(el('p', { 'class': 'note' }, ['Against the smallest point: efficiency (T_n/T_1)/(n/1), excellent > 90 %, good > 70 %; '
      + 'p99 publish latency growth (p99_n \u2212 p99_1)/p99_1, excellent < 20 %, good < 50 %.']));
    var x = { type: 'value', name: sweep.dimension + ' (n)', nameLocation: 'middle', nameGap: 28, scale: true,
      minInterval: 1 };
    /* Room above the grade lines, so they show even when every point is below them. */
    var atLeast = function (floor) { return function (v) { return Math.max(floor, Math.ceil(v.max * 1.1 / 10) * 10); }; };
    var grid = el('div', { 'class': 'grid' });
    section('Scaling', root).appendChild(grid);
    function bands(lines) {
      return { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: '#999' },
        data: lines.map(function (l) { return { yAxis: l[0], label: { formatter: l[1] } }; }) };
    }
    chart(grid, 'sweep-efficiency', {
      title: title('Throughput efficiency'), xAxis: x, yAxis: valueAxis('%', { min: 0, max: atLeast(100) }),
      series: [{ name: 'efficiency %', type: 'line', symbolSize: 8, markLine: bands([[90, 'excellent'], [70, 'good']]),
        data: pts.map(function (p) { return [n(p), 100 * p.throughputEfficiency]; }) }]
    });
    chart(grid, 'sweep-growth', {
      title: title('p99 publish latency growth'), xAxis: x, yAxis: valueAxis('%', { max: atLeast(60) }),
      series: [{ name: 'p99 growth %', type: 'line', symbolSize: 8, markLine: bands([[20, 'excellent'], [50, 'good']]),
        data: pts.map(function (p) { return [n(p), 100 * p.latencyGrowth]; }) }]
    });
    chart(grid, 'sweep-cpu', {
      title: title('msg/s per 1 % CPU'), xAxis: x, yAxis: valueAxis('msg/s per %'),
      series: [{ name: 'msg/s per 1 % CPU', type: 'line', symbolSize: 8,
        data: pts.map(function (p) { return [n(p), p.msgPerCpuPercent]; }) }]
    });
    chart(grid, 'sweep-throughput', {
      title: title('Throughput'), xAxis: x, yAxis: valueAxis('msg/s'),
      series: [{ name: 'msg/s', type: 'line', symbolSize: 8, data: pts.map(function (p) { return [n(p), p.throughput]; }) }]
    });
  }

  try {
    if (doc.kind === 'sweep') { drawSweep(doc.data.sweep); } else { drawRuns(doc.data.runs); }
  } catch (e) {
    window.kbenchProblem('error: ' + e.message);
    root.appendChild(el('p', { 'class': 'worse' }, ['The report could not be drawn: ' + e.message]));
  }
  /* What each chart holds, counted from ECharts' own model: the page's test reads this marker. */
  var rendered = { kind: doc.kind, charts: {}, problems: window.kbenchProblems };
  charts.forEach(function (c) {
    rendered.charts[c.id] = c.chart.getModel().getSeries().map(function (s) { return s.getData().count(); });
  });
  var marker = document.getElementById('kbench-rendered');
  marker.textContent = JSON.stringify(rendered);
  marker.setAttribute('data-done', 'true');
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.chart.resize(); }); });
})();
