// `npm run dev-server`: the task pane over HTTPS on https://localhost:3000/, as Office requires,
// with the trusted localhost certificate from office-addin-dev-certs.

import { createServer } from 'vite';
import type { ServerOptions } from 'node:https';

async function httpsOptions(): Promise<ServerOptions | null> {
  try {
    const certs = (await import('office-addin-dev-certs')) as { getHttpsServerOptions(): Promise<ServerOptions> };
    return await certs.getHttpsServerOptions();
  } catch (error) {
    console.error(`无法获取本机 HTTPS 开发证书：${error instanceof Error ? error.message : String(error)}`);
    console.error('请运行 npx office-addin-dev-certs install 安装证书后重试。');
    return null;
  }
}

const https = await httpsOptions();
if (!https) process.exit(1);
const server = await createServer({ configFile: new URL('../vite.config.ts', import.meta.url).pathname, server: { https, port: 3000, strictPort: true } });
await server.listen();
console.log('考核填报加载项开发服务器：https://localhost:3000/taskpane.html （按 Ctrl+C 停止）');
