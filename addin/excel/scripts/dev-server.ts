// `npm run dev-server`: the task pane over HTTPS on https://localhost:3000/, as Office requires,
// with the localhost certificate from office-addin-dev-certs.

import { existsSync, readFileSync } from 'node:fs';
import type { ServerOptions } from 'node:https';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'vite';

const CERT_DIR = join(homedir(), '.office-addin-dev-certs');

async function httpsOptions(): Promise<ServerOptions | null> {
  try {
    const certs = (await import('office-addin-dev-certs')) as { getHttpsServerOptions(): Promise<ServerOptions> };
    return await certs.getHttpsServerOptions();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    // Trusting the CA needs administrator rights (no sudo on many Linux boxes); the generated
    // certificate still serves HTTPS, the browser just has to be told to accept it once.
    const cert = join(CERT_DIR, 'localhost.crt');
    const key = join(CERT_DIR, 'localhost.key');
    if (existsSync(cert) && existsSync(key)) {
      console.warn(`未能把开发证书设为受信任（${reason}）。仍用 ${CERT_DIR} 中的证书提供 HTTPS，浏览器首次访问时需手动信任。`);
      return { cert: readFileSync(cert), key: readFileSync(key), ca: readFileSync(join(CERT_DIR, 'ca.crt')) };
    }
    console.error(`无法获取本机 HTTPS 开发证书：${reason}`);
    console.error('请运行 npx office-addin-dev-certs install（需要管理员权限）后重试。');
    return null;
  }
}

const https = await httpsOptions();
if (!https) process.exit(1);
const server = await createServer({
  configFile: new URL('../vite.config.ts', import.meta.url).pathname,
  server: { https, port: 3000, strictPort: true },
});
await server.listen();
console.log('考核填报加载项开发服务器：https://localhost:3000/taskpane.html （按 Ctrl+C 停止）');
