/** Test support: reads an SSE response by hand (no EventSource dependency). */
export interface SseMessage {
  id?: string;
  event: string;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions walk the JSON freely
  data: any;
}

export function sseReader(res: Response) {
  if (!res.body) throw new Error('no body');
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const queue: SseMessage[] = [];
  let ended = false;

  const parse = (block: string): SseMessage | undefined => {
    const msg: SseMessage = { event: 'message', data: undefined };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) return { event: 'comment', data: line.slice(1).trim() };
      const i = line.indexOf(':');
      const field = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (field === 'id') msg.id = value;
      else if (field === 'event') msg.event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'retry') return { event: 'retry', data: Number(value) };
    }
    msg.data = data.length ? JSON.parse(data.join('\n')) : undefined;
    return msg;
  };

  const pump = async (deadline: number): Promise<void> => {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error('timed out reading the stream');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out reading the stream')), left);
    });
    try {
      const { done, value } = await Promise.race([reader.read(), timeout]);
      if (done) {
        ended = true;
        return;
      }
      buffer += decoder.decode(value, { stream: true });
      let idx = buffer.indexOf('\n\n');
      while (idx >= 0) {
        const m = parse(buffer.slice(0, idx));
        if (m) queue.push(m);
        buffer = buffer.slice(idx + 2);
        idx = buffer.indexOf('\n\n');
      }
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    /** Collects messages until one satisfies `pred` (inclusive). */
    async until(pred: (m: SseMessage) => boolean, timeoutMs = 5000): Promise<SseMessage[]> {
      const deadline = Date.now() + timeoutMs;
      const out: SseMessage[] = [];
      for (;;) {
        while (queue.length) {
          const m = queue.shift() as SseMessage;
          out.push(m);
          if (pred(m)) return out;
        }
        if (ended)
          throw new Error(
            `stream ended before the expected message; got ${JSON.stringify(out.map((m) => m.event))}`,
          );
        await pump(deadline);
      }
    },
    get ended() {
      return ended;
    },
    async cancel() {
      await reader.cancel().catch(() => undefined);
    },
  };
}
