// A time-series chart (uPlot) of the overview's samples; redrawn when new samples arrive.
import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

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
      // a fixed ten-minute window, as RabbitMQ's charts show, so one sample does not stretch the axis
      scales: { x: { time: true, range: (_u, _min, max) => [(max ?? Date.now() / 1000) - 600, max ?? Date.now() / 1000] }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
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
