// The part of Apache ECharts the report uses: its charts (line, bar, scatter, calendar heat map), components and the canvas
// renderer. Bundled by vendor.mjs into one script that sets window.echarts: about 60 % of the full build, so a report
// opens faster (less script to parse) and stays smaller.
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  AriaComponent, CalendarComponent, DataZoomComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, HeatmapChart, LineChart, ScatterChart, AriaComponent, CalendarComponent, DataZoomComponent, GridComponent,
  LegendComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);
window.echarts = echarts;
