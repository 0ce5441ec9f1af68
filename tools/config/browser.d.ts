import type { Browser } from 'playwright-core';

export type { Browser, Page } from 'playwright-core';

/** The flags every launch uses: headless, no sandbox, nothing that reaches the network. */
export const chromiumFlags: readonly string[];

/** Finds Chromium (INTEROP_CHROMIUM alone when set; else /usr/bin/chromium, /usr/bin/chromium-browser), or says why there is none. */
export function findChromium(): { ok: true; path: string } | { ok: false; reason: string };

/** For a test file: the Chromium path, or undefined after printing why `what` skips; under CI=true a missing browser throws. */
export function chromiumForTests(what?: string): string | undefined;

/** Launches Chromium (through playwright-core, never a downloaded browser) with `chromiumFlags` plus `args`. */
export function launchChromium(executablePath: string, options?: { args?: readonly string[] }): Promise<Browser>;

export interface StaticServer {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the folder `root` (`/` is its index.html) on 127.0.0.1, plus `files` held in memory (path -> bytes), which win
 * over the folder; with `crossOriginIsolated`, every answer carries the COOP / COEP headers.
 */
export function serveStatic(root: string, options?: { files?: Readonly<Record<string, Uint8Array>>; crossOriginIsolated?: boolean }): Promise<StaticServer>;
