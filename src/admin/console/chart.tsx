import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";

export interface Line {
  readonly label: string;
  readonly color: string;
  readonly dashed: boolean;
  readonly values: readonly number[];
}

// A time-series chart (uPlot): `times` in seconds since the epoch, one line per entry of `lines`,
// as wide as its box, following the box's width as the window changes.
export function Chart(props: { readonly title: string; readonly times: readonly number[]; readonly lines: readonly Line[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    const size = () => ({ width: Math.max(240, element.clientWidth), height: element.clientWidth < 600 ? 220 : 320 });
    const chart = new uPlot(
      {
        ...size(),
        title: props.title,
        scales: { y: { range: (_chart, _min, max) => [0, Math.max(1, Math.ceil(max * 1.1))] } },
        axes: [{}, { label: "requests", values: (_chart, ticks) => ticks.map((tick) => (Number.isInteger(tick) ? String(tick) : "")) }],
        series: [{}, ...props.lines.map((line) => ({ label: line.label, stroke: line.color, width: 2, dash: line.dashed ? [6, 4] : undefined, points: { show: false } }))],
      },
      [props.times as number[], ...props.lines.map((line) => line.values as number[])],
      element,
    );
    const resize = new ResizeObserver(() => chart.setSize(size()));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [props.title, props.times, props.lines]);
  return <div class="chart" ref={box} />;
}
