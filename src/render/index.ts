import { CipaError } from '../errors.js';
import type { FormatName } from '../config/formats.js';
import { renderGithub } from './github.js';
import { renderGitlab } from './gitlab.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif } from './sarif.js';
import type { Renderer } from './types.js';

export type { RenderOptions, Renderer, SourceLocation } from './types.js';

/** Format name (as given to -f / formats:) → renderer. text and json are added by their owner. */
export const RENDERERS: Partial<Record<FormatName, Renderer>> = {
  sarif: renderSarif,
  junit: renderJunit,
  github: renderGithub,
  gitlab: renderGitlab,
  markdown: renderMarkdown,
  html: renderHtml,
};

export function rendererFor(format: FormatName): Renderer {
  const renderer = RENDERERS[format];
  if (!renderer) throw new CipaError('internal', `no renderer registered for format ${format}`);
  return renderer;
}
