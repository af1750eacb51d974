import net from 'node:net';

const reserved = new Set<number>();

function bind(host: string, port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(undefined));
    srv.listen({ host, port, exclusive: true }, () => {
      const addr = srv.address();
      const got = typeof addr === 'object' && addr ? addr.port : undefined;
      srv.close(() => resolve(got));
    });
  });
}

/** A free TCP port on `host`, preferring `preferred` (a pod keeps its port across restarts when it can). */
export async function allocatePort(host: string, preferred?: number): Promise<number> {
  if (preferred && !reserved.has(preferred) && (await bind(host, preferred)) === preferred) {
    reserved.add(preferred);
    return preferred;
  }
  for (let i = 0; i < 50; i++) {
    const port = await bind(host, 0);
    if (port && !reserved.has(port)) {
      reserved.add(port);
      return port;
    }
  }
  throw new Error('no free port');
}

export function releasePort(port: number | undefined): void {
  if (port) reserved.delete(port);
}
