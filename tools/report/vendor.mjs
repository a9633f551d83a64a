// Vendors the pinned chart library into the engine's report assets (embedded in the engine and inlined in every
// report, so building FitbitPS needs no npm): Apache ECharts from node_modules, bundled by esbuild with only what the
// report draws (echarts-entry.mjs), and the licences of everything in that bundle (ECharts, ZRender, the parts of d3).
//   npm ci && npm run vendor           after changing a version in package.json
//   npm run vendor:check               exit 1 when the vendored files differ from what the pinned packages give
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const vendor = join(root, 'src', 'FitbitPS.Engine', 'Report', 'Assets', 'vendor');
const check = process.argv.includes('--check');

const bundle = await esbuild.build({
  entryPoints: [join(root, 'tools', 'report', 'echarts-entry.mjs')],
  bundle: true, minify: true, format: 'iife', legalComments: 'none', target: 'es2017', write: false, logLevel: 'error',
});
const echartsVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'echarts', 'package.json'), 'utf8')).version;
const files = [
  ['echarts/echarts.min.js', Buffer.concat([Buffer.from(`/*! Apache ECharts ${echartsVersion} (Apache-2.0), bundled for FitbitPS: see LICENSE, NOTICE */\n`), Buffer.from(bundle.outputFiles[0].contents)])],
  ['echarts/VERSION', Buffer.from(echartsVersion + '\n')],
  ['echarts/LICENSE', readFileSync(join(root, 'node_modules', 'echarts', 'LICENSE'))],
  ['echarts/NOTICE', readFileSync(join(root, 'node_modules', 'echarts', 'NOTICE'))],
  ['echarts/LICENSE-d3', readFileSync(join(root, 'node_modules', 'echarts', 'licenses', 'LICENSE-d3'))],
  ['zrender/LICENSE', readFileSync(join(root, 'node_modules', 'zrender', 'LICENSE'))],
];
let differ = 0;
for (const [name, content] of files) {
  const path = join(vendor, name);
  if (check) {
    let current = null;
    try { current = readFileSync(path); } catch { }
    if (!current || !current.equals(content)) { console.error(`differs: ${name} (run npm run vendor)`); differ++; }
  } else {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    console.log(`vendored ${name} (${content.length} bytes)`);
  }
}
if (check) console.log(differ ? `${differ} vendored file(s) differ from the pinned packages` : 'the vendored chart library is what the pinned packages give');
process.exit(differ ? 1 : 0);
