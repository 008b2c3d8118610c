// A time-series chart (uPlot) of the overview's samples; redrawn when new samples arrive.
import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

/**
 * The x axis: the samples kept (up to ten minutes), never less than a minute wide, so that the
 * first sample or two do not stretch over the whole chart.
 */
function timeWindow(_u, min, max) {
  const end = max ?? Date.now() / 1000;
  const start = Math.min(min ?? end, end - 60);
  return [Math.max(start, end - 600), end];
}

const COLOURS = ['#1f6fb2', '#d9822b', '#2e8540', '#8e44ad', '#c0392b'];

/**
 * `series`: names; `data`: [times (s), values of series 0, …], as uPlot takes them.
 * The chart is created once and given new data in place; it follows the container's width.
 */
export function RateChart({ name, series, data, unit }) {
  const box = useRef(null);
  const plot = useRef(null);
  useEffect(() => {
    const width = () => Math.max(300, (box.current?.clientWidth ?? 600) - 4);
    plot.current = new uPlot({
      width: width(),
      height: 180,
      scales: { x: { time: true, range: timeWindow }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [{}, { values: (_u, ticks) => ticks.map((t) => `${t}${unit}`), size: 60 }],
      series: [{}, ...series.map((label, i) => ({ label, stroke: COLOURS[i % COLOURS.length], width: 2 }))],
    }, data, box.current);
    const resize = () => plot.current?.setSize({ width: width(), height: 180 });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      plot.current?.destroy();
      plot.current = null;
    };
  }, [series.join('\n')]);
  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);
  return html`<div class="chart" data-chart=${name} data-samples=${data[0].length} ref=${box}></div>`;
}
