// FitbitPS report: draws the charts the page names from the data inlined in it (no request of any kind).
// Days are plotted as UTC midnights and ECharts runs with useUTC, so a day is the person's calendar day wherever the page
// is opened. window.fitbitpsReport tells a reader (and the browser tests) what was drawn: per chart the points each series
// holds and draws, a value by day, and when the first screen and then everything was drawn (also the performance marks
// "fitbitps-first-screen" and "fitbitps-rendered").
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('fitbitps-data').textContent);
  var report = window.fitbitpsReport = { rendered: false, renderMs: null, charts: {}, errors: [] };
  var DAY = 86400000;
  var day0 = Date.parse(data.from + 'T00:00:00Z');
  var units = data.units;
  var colors = { deep: '#1f3c88', light: '#5aa9e6', rem: '#7fc8f8', other: '#9aa5b1', awake: '#f28482',
                 fat: '#f6bd60', cardio: '#f28482', peak: '#b5179e', steps: '#2a9d8f', avg: '#264653', hr: '#e63946' };

  function ts(i) { return day0 + i * DAY; }
  function iso(t) { return new Date(t).toISOString().slice(0, 10); }
  function values(key) { return data.daily[key] || []; }
  function fmt(v, decimals) {
    if (v == null || isNaN(v)) return '–';
    return Number(v).toLocaleString('en-US', { minimumFractionDigits: decimals || 0, maximumFractionDigits: decimals || 0 });
  }
  function clock(minutesAfterNoon) {
    var m = Math.round((minutesAfterNoon + 720) % 1440);
    return ('0' + Math.floor(m / 60)).slice(-2) + ':' + ('0' + (m % 60)).slice(-2);
  }
  function hours(minutes) { return Math.floor(minutes / 60) + ' h ' + ('0' + Math.round(minutes % 60)).slice(-2) + ' min'; }

  // [[day, value]] of the days that have one.
  function points(key, map) {
    var v = values(key), out = [];
    for (var i = 0; i < v.length; i++) if (v[i] != null) out.push([ts(i), map ? map(v[i]) : v[i]]);
    return out;
  }
  // Stacked series over the same days (a stack lines up by index): the days any of them has, 0 where one has none.
  function stacked(keys, map) {
    var all = keys.map(values), days = [];
    for (var i = 0; i < data.days; i++) if (all.some(function (v) { return v[i] != null; })) days.push(i);
    return all.map(function (v) { return days.map(function (i) { return [ts(i), map ? map(v[i] || 0) : (v[i] || 0)]; }); });
  }
  // The mean of the values of the last 7 days (each day that has one), for each day with a value.
  function movingAverage(key) {
    var v = values(key), out = [];
    for (var i = 0; i < v.length; i++) {
      if (v[i] == null) continue;
      var sum = 0, n = 0;
      for (var j = Math.max(0, i - 6); j <= i; j++) if (v[j] != null) { sum += v[j]; n++; }
      out.push([ts(i), Math.round(sum / n)]);
    }
    return out;
  }
  // An exponentially smoothed trend (10 % of each weigh-in's difference), the usual weight trend: one noisy morning
  // moves it little.
  function trend(key) {
    var v = values(key), out = [], t = null;
    for (var i = 0; i < v.length; i++) {
      if (v[i] == null) continue;
      t = t == null ? v[i] : t + 0.1 * (v[i] - t);
      out.push([ts(i), Math.round(t * 100) / 100]);
    }
    return out;
  }

  // Over more than a year, bars start zoomed to the last 180 days (thousands of bars are a blur; the calendar shows the
  // years): every day is still in the chart, a drag of the slider away.
  function zoomedBars() { return data.days > 366 ? ts(data.days - 180) : undefined; }
  function base(unitLabel, extra, bars) {
    var zoomFrom = bars ? zoomedBars() : undefined;
    var option = {
      animation: false,
      useUTC: true,
      aria: { enabled: true },
      grid: { left: 56, right: 56, top: 36, bottom: 64 },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', confine: true },
      xAxis: { type: 'time', axisLabel: { hideOverlap: true } },
      // Bars start at zero (a bar's length is its value); lines fit their range.
      yAxis: { type: 'value', name: unitLabel, scale: !bars },
      // The wheel scrolls the page; Shift+wheel zooms, dragging pans, the slider does both.
      dataZoom: [{ type: 'inside', startValue: zoomFrom, zoomOnMouseWheel: 'shift', moveOnMouseWheel: false },
                 { type: 'slider', height: 18, bottom: 8, startValue: zoomFrom }],
      series: []
    };
    for (var k in extra) option[k] = extra[k];
    return option;
  }
  function line(name, pointsOf, color, extra) {
    // Every day is drawn (no sampling): 1,800 points are cheap on a canvas, and a thinned line would hide days.
    var s = { name: name, type: 'line', data: pointsOf, showSymbol: pointsOf.length < 120, symbolSize: 4, connectNulls: false,
              lineStyle: { width: 1.5 }, itemStyle: { color: color } };
    for (var k in extra) s[k] = extra[k];
    return s;
  }
  // Bars of a long range draw as one path each (ECharts' large mode): a 5-year sleep chart is 9,000 bars.
  function bar(name, pointsOf, color, stack) {
    return { name: name, type: 'bar', data: pointsOf, stack: stack, itemStyle: { color: color }, barMaxWidth: 14, large: true, largeThreshold: 400 };
  }
  function valueFormatter(decimals, unit) { return function (v) { return fmt(v, decimals) + (unit ? ' ' + unit : ''); }; }

  var builders = {
    'steps-calendar': function (el) {
      var first = new Date(day0).getUTCFullYear(), last = new Date(ts(data.days - 1)).getUTCFullYear();
      var calendars = [], series = [], v = values('steps'), max = 0;
      for (var i = 0; i < v.length; i++) if (v[i] != null && v[i] > max) max = v[i];
      for (var y = first; y <= last; y++) {
        var k = y - first;
        // Whole years, so every year's squares have the same size (days outside the range stay blank).
        calendars.push({ top: 76 + k * 150, left: 56, right: 24, cellSize: ['auto', 15], range: String(y),
                         orient: 'horizontal', dayLabel: { firstDay: 1, nameMap: 'en' }, monthLabel: { nameMap: 'en' },
                         yearLabel: { show: true }, itemStyle: { borderWidth: 0.5, borderColor: '#fff' },
                         splitLine: { lineStyle: { color: '#888', width: 1 } } });
        var cells = [];
        for (var d = 0; d < v.length; d++) {
          if (v[d] == null) continue;
          var t = ts(d);
          if (new Date(t).getUTCFullYear() === y) cells.push([iso(t), v[d]]);
        }
        series.push({ name: 'Steps ' + y, type: 'heatmap', coordinateSystem: 'calendar', calendarIndex: k, data: cells });
      }
      el.style.height = (96 + (last - first + 1) * 150) + 'px';
      return {
        animation: false, aria: { enabled: true },
        tooltip: { formatter: function (p) { return p.value[0] + '<br>' + fmt(p.value[1]) + ' steps'; } },
        visualMap: { type: 'continuous', min: 0, max: Math.max(1000, Math.ceil(max / 1000) * 1000), calculable: true,
                     orient: 'horizontal', left: 'center', top: 0, text: [fmt(Math.max(1000, Math.ceil(max / 1000) * 1000)) + ' steps', '0'],
                     inRange: { color: ['#edf8f6', '#7fcdbb', '#2a9d8f', '#1d4e45'] } },
        calendar: calendars, series: series
      };
    },
    'steps': function () {
      return base('steps', {
        // The day's distance (in the person's unit) under its steps.
        tooltip: { trigger: 'axis', confine: true, formatter: function (ps) {
          var t = ps[0].value[0], distance = values('distance')[Math.round((t - day0) / DAY)];
          var lines = [iso(t)];
          ps.forEach(function (p) { lines.push(p.marker + p.seriesName + ': ' + fmt(p.value[1]) + ' steps'); });
          if (distance != null) lines.push('Distance: ' + fmt(distance, 2) + ' ' + units.distance);
          return lines.join('<br>');
        } },
        series: [bar('Steps', points('steps'), colors.steps), line('7-day average', movingAverage('steps'), colors.avg, { showSymbol: false })]
     }, true);
    },
    'azm': function () {
      var s = stacked(['azmFatBurn', 'azmCardio', 'azmPeak']);
      return base('minutes', {
        tooltip: { trigger: 'axis', confine: true, valueFormatter: valueFormatter(0, 'min') },
        series: [bar('Fat burn', s[0], colors.fat, 'azm'), bar('Cardio', s[1], colors.cardio, 'azm'), bar('Peak', s[2], colors.peak, 'azm')]
     }, true);
    },
    'sleep': function () {
      var toHours = function (m) { return m / 60; };
      var s = stacked(['sleepDeep', 'sleepLight', 'sleepRem', 'sleepOther', 'sleepAwake'], toHours);
      return base('hours', {
        tooltip: { trigger: 'axis', confine: true, valueFormatter: function (v) { return hours(Math.round(v * 60)); } },
        series: [bar('Deep', s[0], colors.deep, 'sleep'), bar('Light', s[1], colors.light, 'sleep'), bar('REM', s[2], colors.rem, 'sleep'),
                 bar('Asleep (no stages)', s[3], colors.other, 'sleep'), bar('Awake', s[4], colors.awake, 'sleep'),
                 line('Asleep', points('sleepAsleep', toHours), colors.avg, { showSymbol: false, lineStyle: { width: 0 }, symbol: 'none', tooltip: { show: true } })]
     }, true);
    },
    'sleep-times': function () {
      return base('clock time', {
        tooltip: { trigger: 'axis', confine: true, valueFormatter: clock },
        yAxis: { type: 'value', name: 'clock time', inverse: true, scale: true, axisLabel: { formatter: clock } },
        series: [line('Bedtime', points('bedtime'), colors.deep), line('Wake time', points('wakeTime'), colors.fat)]
      });
    },
    'weight': function () {
      return base(units.weight, {
        tooltip: { trigger: 'axis', confine: true, valueFormatter: valueFormatter(1, units.weight) },
        // The weigh-ins as dots drawn in one path (scatter's large mode), the trend as a line.
        series: [{ name: 'Weight', type: 'scatter', data: points('weight'), symbolSize: 4, large: true, largeThreshold: 400, itemStyle: { color: '#6c757d' } },
                 line('Trend', trend('weight'), colors.hr, { showSymbol: false, lineStyle: { width: 2 } })]
      });
    },
    'body-fat': function () { return simple('Body fat', 'bodyFat', '%', 1, '#9c6644'); },
    'resting-hr': function () { return simple('Resting heart rate', 'restingHeartRate', 'bpm', 0, colors.hr); },
    'hrv': function () { return simple('HRV (RMSSD)', 'hrv', 'ms', 1, '#6a4c93'); },
    'spo2': function () { return simple('SpO₂', 'spo2', '%', 1, '#1982c4'); },
    'breathing': function () { return simple('Breathing rate', 'breathingRate', 'breaths/min', 1, '#8ac926'); },
    'skin-temp': function () { return simple('Skin temperature variation', 'skinTemperature', units.temperature, 2, '#ff924c'); },
    'day': function () {
      var d = data.day, t0 = Date.parse(d.date + 'T00:00:00Z'), hr = [], steps = [];
      for (var i = 0; i < d.hr.t.length; i++) hr.push([t0 + d.hr.t[i] * 1000, d.hr.v[i]]);
      for (var j = 0; j < d.steps.t.length; j++) steps.push([t0 + d.steps.t[j] * 60000, d.steps.v[j]]);
      return base('bpm', {
        tooltip: { trigger: 'axis', confine: true },
        xAxis: { type: 'time', axisLabel: { hideOverlap: true, formatter: '{HH}:{mm}' } },
        yAxis: [{ type: 'value', name: 'bpm', scale: true }, { type: 'value', name: 'steps/min', position: 'right', splitLine: { show: false } }],
        // 17,000 samples on ~1,100 pixels: LTTB keeps the shape (peaks included) and draws what the pixels can show.
        series: [line('Heart rate', hr, colors.hr, { showSymbol: false, sampling: 'lttb', lineStyle: { width: 1 }, tooltip: { valueFormatter: valueFormatter(0, 'bpm') } }),
                 { name: 'Steps', type: 'bar', yAxisIndex: 1, data: steps, itemStyle: { color: colors.steps }, barMaxWidth: 3, large: true,
                   tooltip: { valueFormatter: valueFormatter(0, 'steps') } }]
      });
    }
  };
  function simple(name, key, unit, decimals, color) {
    return base(unit, {
      legend: { show: false },
      tooltip: { trigger: 'axis', confine: true, valueFormatter: valueFormatter(decimals, unit) },
      series: [line(name, points(key), color)]
    });
  }

  // What a chart holds and draws, per series: the points it was given (its option) and the points its series data has
  // after ECharts' processing (sampling and the zoom window filter it), so a count a test reads is what is on the canvas.
  function describe(chart) {
    var option = chart.getOption(), model = chart.getModel(), held = {}, drawn = {};
    option.series.forEach(function (s, i) {
      held[s.name] = s.data.length;
      drawn[s.name] = model.getSeriesByIndex(i).getData().count();
    });
    var heatmap = option.series[0].type === 'heatmap';
    var sum = function (counts) { var n = 0; for (var k in counts) n += counts[k]; return n; };
    return {
      points: heatmap ? sum(held) : held[option.series[0].name],
      drawn: heatmap ? sum(drawn) : drawn[option.series[0].name],
      series: held, drawnSeries: drawn
    };
  }
  report.valueAt = function (id, seriesName, day) {
    var entry = report.charts[id];
    if (!entry) return undefined;
    var key = typeof day === 'number' ? day : (id === 'steps-calendar' ? day : Date.parse(day + 'T00:00:00Z'));
    var found;
    entry.chart.getOption().series.forEach(function (s) {
      if (s.name !== seriesName && !(id === 'steps-calendar' && s.name.indexOf(seriesName) === 0)) return;
      s.data.forEach(function (p) { if (p[0] === key) found = p[1]; });
    });
    return found;
  };

  var pending = 0;
  function done() {
    if (--pending > 0) return;
    performance.mark('fitbitps-rendered');
    report.renderMs = performance.now();
    report.rendered = true;
    document.documentElement.setAttribute('data-rendered', 'true');
  }
  var nodes = Array.prototype.slice.call(document.querySelectorAll('[data-chart]'));
  var charts = [];
  pending = nodes.length + 2; // every chart's 'finished', the rest's turn, and this script's end
  function failed(el, id, e) {
    report.errors.push(id + ': ' + e.message);
    el.textContent = 'This chart could not be drawn: ' + e.message;
    console.error('FitbitPS report: chart ' + id + ': ' + (e && e.stack || e));
    done();
  }
  // Options first (a builder may set its box's height), then every box's size in one read (one layout), then the
  // charts with their sizes given: ECharts then never asks the page for a layout between two charts.
  var jobs = nodes.map(function (el) {
    var id = el.getAttribute('data-chart'), started = performance.now();
    try { return { el: el, id: id, option: builders[id](el), ms: performance.now() - started }; }
    catch (e) { failed(el, id, e); return null; }
  }).filter(function (job) { return job; });
  jobs.forEach(function (job) {
    job.width = job.el.clientWidth; job.height = job.el.clientHeight;
    job.inView = job.el.getBoundingClientRect().top < window.innerHeight;
  });
  function draw(job) {
    var el = job.el, id = job.id;
    try {
      var started = performance.now();
      var chart = echarts.init(el, null, { renderer: 'canvas', width: job.width, height: job.height });
      var entry = report.charts[id] = { chart: chart };
      // 'finished' may come during setOption (nothing animates) or on a later frame (large series render progressively).
      chart.on('finished', function once() { chart.off('finished', once); entry.finishedAt = performance.now(); done(); });
      chart.setOption(job.option);
      var described = describe(chart);
      entry.points = described.points;
      entry.drawn = described.drawn;
      entry.series = described.series;
      entry.drawnSeries = described.drawnSeries;
      entry.ms = job.ms + performance.now() - started;
      el.setAttribute('data-points', String(described.points));
      el.setAttribute('data-drawn', String(described.drawn));
      charts.push(chart);
    } catch (e) { failed(el, id, e); }
  }
  // The charts of the first screen first; then, once the browser has painted them, the rest: the page is there to read
  // while the charts below it are drawn ("fitbitps-first-screen", then "fitbitps-rendered" when every chart is).
  jobs.filter(function (job) { return job.inView; }).forEach(draw);
  performance.mark('fitbitps-first-screen');
  report.firstScreenMs = performance.now();
  var rest = jobs.filter(function (job) { return !job.inView; });
  if (rest.length) requestAnimationFrame(function () { setTimeout(function () { rest.forEach(draw); done(); }, 0); });
  else pending--;
  // A chart given its size keeps it: follow the window (and the boxes) when it changes.
  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize({ width: 'auto', height: 'auto' }); }); });
  done();
})();
