// Serves the review console: one HTML page and its scripts and styles, under a strict policy.
import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { EVIDENCE_STYLE_SOURCE } from '../http/evidence-html';
import { Problem } from '../http/problem-details';
import { ConsoleAsset, ConsoleAssets } from './console-assets';

/**
 * Scripts and styles come only from these files (no inline code, nothing from elsewhere), data
 * only from this service's own API, and the page cannot be framed or post a form anywhere: the
 * analyst's token stays in this origin's session storage.
 */
export const CONSOLE_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  // The evidence pack's own stylesheet: the console opens the printable pack from memory, under this policy.
  `style-src 'self' ${EVIDENCE_STYLE_SOURCE}`,
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONSOLE_CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  // Always revalidated (cheaply, by ETag): a new release's files are used at once.
  'cache-control': 'no-cache',
};

// A user interface, not part of the API: left out of the OpenAPI document like /docs.
@ApiExcludeController()
@Controller('console')
export class ConsoleController {
  constructor(private readonly assets: ConsoleAssets) {}

  @Get()
  page(@Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply): void {
    this.send(this.assets.get('index.html')!, ifNoneMatch, reply);
  }

  @Get(':file')
  file(@Param('file') file: string, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply): void {
    const asset = this.assets.get(file === '' ? 'index.html' : file);
    if (!asset) throw new Problem(404, 'not-found', 'Not found', 'No such file in the review console');
    this.send(asset, ifNoneMatch, reply);
  }

  private send(asset: ConsoleAsset, ifNoneMatch: string | undefined, reply: FastifyReply): void {
    void reply.headers(SECURITY_HEADERS).header('etag', asset.etag);
    if (ifNoneMatch !== undefined && ifNoneMatch.split(/\s*,\s*/).includes(asset.etag)) {
      void reply.status(304).send();
      return;
    }
    void reply.type(asset.contentType).send(asset.body);
  }
}
