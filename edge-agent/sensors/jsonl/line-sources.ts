/**
 * Where jsonl lines come from: a regular file (read from the start; with `follow`, then tailed as
 * it grows, across truncation and rotation, like tail -F), a named pipe (with `follow`, writers
 * may come and go), or a command's stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { close as closeFd, constants, createReadStream, open as openFd, type ReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { Socket } from 'node:net';
import { LineSplitter } from './line-splitter.ts';

export interface LineSink {
  lines(lines: string[]): void;
  /** The source ended: `err` when it failed, none when it simply ran out. */
  end(err?: Error): void;
  /** A line of the command's stderr, for the log. */
  stderr?(line: string): void;
}

export interface LineSource {
  start(sink: LineSink): void;
  stop(): Promise<void>;
}

const POLL_MS = 200;

export function fileSource(path: string, follow: boolean): LineSource {
  let stopped = false;
  let wake: (() => void) | null = null;
  let done: Promise<void> = Promise.resolve();
  const sleep = () => new Promise<void>((r) => { wake = r; setTimeout(r, POLL_MS); }).then(() => { wake = null; });

  async function run(sink: LineSink): Promise<void> {
    const buf = Buffer.allocUnsafe(64 * 1024);
    let fh: FileHandle | null = null;
    let ino = -1;
    let pos = 0;
    let split = new LineSplitter();
    try {
      while (!stopped) {
        if (!fh) {
          try {
            fh = await open(path, 'r');
          } catch (e) {
            if (!follow) throw e;
            await sleep();
            continue;
          }
          ino = (await fh.stat()).ino;
          pos = 0;
          split = new LineSplitter();
        }
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead > 0) {
          pos += bytesRead;
          const lines = split.feed(buf.subarray(0, bytesRead));
          if (lines.length > 0) sink.lines(lines);
          continue;
        }
        if (!follow) {
          const rest = split.end();
          if (rest.length > 0) sink.lines(rest);
          break;
        }
        await sleep();
        const now = await stat(path).catch(() => null);
        if (now && now.ino !== ino) { await fh.close(); fh = null; } // rotated: read the new file
        else if (now && now.size < pos) { pos = 0; split = new LineSplitter(); } // truncated
      }
      sink.end();
    } catch (e) {
      if (!stopped) sink.end(e as Error);
    } finally {
      await fh?.close().catch(() => undefined);
    }
  }

  return {
    start(sink) { done = run(sink); },
    async stop() {
      stopped = true;
      (wake as (() => void) | null)?.();
      await done;
    },
  };
}

export function pipeSource(path: string, follow: boolean): LineSource {
  let stream: Socket | ReadStream | null = null;
  let stopped = false;
  return {
    start(sink) {
      const split = new LineSplitter();
      // Opened read-write, the pipe always has a writer (us), so readers never see EOF between
      // writers and the open never blocks a libuv thread waiting for one.
      const s = follow ? null : createReadStream(path);
      if (s) stream = s;
      const attach = (src: Socket | ReadStream) => {
        src.on('data', (d: Buffer | string) => {
          const lines = split.feed(typeof d === 'string' ? Buffer.from(d) : d);
          if (lines.length > 0) sink.lines(lines);
        });
        src.on('error', (e: Error) => { if (!stopped) sink.end(e); });
        src.on('end', () => {
          const rest = split.end();
          if (rest.length > 0) sink.lines(rest);
          if (!stopped) sink.end();
        });
      };
      if (s) attach(s);
      else {
        // A raw fd, not a FileHandle: the socket owns and closes it, and a FileHandle would try
        // to close it again when garbage-collected, which Node 20 turns into a crash (EBADF).
        openFd(path, constants.O_RDWR | constants.O_NONBLOCK, (e, fd) => {
          if (e) { sink.end(e); return; }
          if (stopped) { closeFd(fd, () => undefined); return; }
          const sock = new Socket({ fd, readable: true, writable: false });
          stream = sock;
          attach(sock);
        });
      }
    },
    async stop() {
      stopped = true;
      stream?.destroy();
    },
  };
}

export function commandSource(argv: readonly string[]): LineSource {
  let child: ChildProcess | null = null;
  let stopped = false;
  let exited: Promise<void> = Promise.resolve();
  return {
    start(sink) {
      const [cmd, ...args] = argv;
      const split = new LineSplitter();
      const errSplit = new LineSplitter();
      const c = spawn(cmd!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
      child = c;
      c.stdout!.on('data', (d: Buffer) => {
        const lines = split.feed(d);
        if (lines.length > 0) sink.lines(lines);
      });
      c.stderr!.on('data', (d: Buffer) => { for (const l of errSplit.feed(d)) sink.stderr?.(l); });
      let spawnError: Error | null = null;
      c.on('error', (e) => { spawnError = e; });
      exited = new Promise((resolve) => {
        c.on('close', (code, signal) => {
          const rest = split.end();
          if (rest.length > 0) sink.lines(rest);
          resolve();
          if (stopped) return;
          if (spawnError) sink.end(spawnError);
          else if (code === 0) sink.end();
          else sink.end(new Error(`command ${JSON.stringify(cmd)} exited with ${signal ?? `code ${code}`}`));
        });
      });
    },
    async stop() {
      stopped = true;
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    },
  };
}
