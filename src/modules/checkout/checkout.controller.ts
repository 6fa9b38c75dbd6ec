import { Controller, Get, Headers, Param, Query, Req, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppConfig } from '../../config/app-config.js';
import { CHECKOUT_SCRIPT, newNonce, PAGE_ASSETS, securityHeaders } from './checkout-assets.js';
import { renderCheckoutPage } from './checkout-page.js';
import { CheckoutResponder } from './checkout-responder.js';
import { LANG_QUERY, LIMITED, NOT_FOUND, TOKEN_PARAM } from './checkout-routes.js';
import { CheckoutStateDto } from './checkout-state.dto.js';
import { CheckoutStreams } from './checkout-streams.js';
import { CheckoutService, isFinal } from './checkout.service.js';
import { PaymentCheckoutService } from '../payments/payment-checkout.service.js';

/**
 * The payer's hosted checkout page: no API key, the token in the URL is the only credential. Everything it
 * answers carries the strict security headers of securityHeaders().
 */
@ApiTags('checkout')
@Controller('pay')
export class CheckoutController {
  constructor(
    private readonly checkout: CheckoutService,
    private readonly streams: CheckoutStreams,
    private readonly payments: PaymentCheckoutService,
    private readonly config: AppConfig,
    private readonly reply: CheckoutResponder,
  ) {}

  @Get('assets/:file')
  @ApiOperation({ summary: "The page's script (content-hashed name, cached for good)" })
  @ApiParam({ name: 'file', example: CHECKOUT_SCRIPT.name })
  @ApiProduces('text/javascript')
  @ApiOkResponse({ description: 'The script', schema: { type: 'string' } })
  @ApiNotFoundResponse({ description: 'No such asset' })
  asset(
    @Param('file') file: string,
    @Headers('accept-encoding') encoding: string | undefined,
    @Res() reply: FastifyReply,
  ): void {
    void reply.headers(securityHeaders(null, this.config.checkout.frameAncestors));
    if (file !== CHECKOUT_SCRIPT.name) {
      void reply.status(404).type('text/plain; charset=utf-8').send('Not found');
      return;
    }
    void reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('vary', 'accept-encoding');
    void reply.type('text/javascript; charset=utf-8');
    if (/\bgzip\b/.test(encoding ?? '')) {
      void reply.header('content-encoding', 'gzip').send(CHECKOUT_SCRIPT.gzipped);
    } else {
      void reply.send(CHECKOUT_SCRIPT.body);
    }
  }

  @Get(':token')
  @RouteConfig(LIMITED)
  @ApiOperation({
    summary: 'The checkout page (HTML): amount still due, QR, bank details, countdown, live status',
    description: 'Works without JavaScript; the script adds live status, copy buttons and redirects.',
  })
  @ApiParam(TOKEN_PARAM)
  @ApiQuery(LANG_QUERY)
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The page', schema: { type: 'string' } })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiResponse({ status: 429, description: 'Too many requests from this address' })
  async page(
    @Param('token') token: string,
    @Query('lang') lang: unknown,
    @Headers('accept-encoding') encoding: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const view = await this.checkout.findByToken(token);
    const locale = this.checkout.localeFor(view, lang);
    if (!view) {
      this.reply.notFound(reply, locale, encoding);
      return;
    }
    const nonce = newNonce();
    const html = renderCheckoutPage({
      view,
      state: this.checkout.state(view),
      locale,
      merchantName: this.config.checkout.merchantDisplayName,
      qrSvg: await this.checkout.qrSvg(view),
      nonce,
      assets: PAGE_ASSETS,
      frameAncestors: this.config.checkout.frameAncestors,
      now: new Date(),
    });
    this.reply.html(reply, 200, nonce, encoding, html);
  }

  @Get(':token/status')
  @RouteConfig(LIMITED)
  @ApiOperation({ summary: "The payment's state for the page (the polling fallback of /events)" })
  @ApiParam(TOKEN_PARAM)
  @ApiOkResponse({ type: CheckoutStateDto })
  @ApiNotFoundResponse(NOT_FOUND)
  async status(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    const view = await this.checkout.findByToken(token);
    void reply.headers(securityHeaders(null, this.config.checkout.frameAncestors));
    if (!view) {
      void reply
        .status(404)
        .send({ code: 'NOT_FOUND', message: 'No such checkout page', requestId: reply.request.id });
      return;
    }
    void reply.send(this.checkout.state(view));
  }

  @Get(':token/events')
  @RouteConfig(LIMITED)
  @ApiOperation({
    summary: 'Live status as server-sent events',
    description:
      'Each `status` event carries the same object as /status: the current state at once, then every ' +
      'change (from any instance), then the stream ends at a final state. A comment every 20 s keeps it ' +
      'open; it ends after 15 minutes and the browser reconnects. 503 when this instance holds ' +
      'CHECKOUT_MAX_STREAMS streams, 429 past 20 streams from one address: poll /status then.',
  })
  @ApiParam(TOKEN_PARAM)
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'An event stream', schema: { type: 'string' } })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiResponse({ status: 503, description: 'Too many open streams on this instance; poll /status' })
  async events(
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const view = await this.checkout.findByToken(token);
    const headers = securityHeaders(null, this.config.checkout.frameAncestors);
    if (!view) {
      void reply
        .status(404)
        .headers(headers)
        .send({ code: 'NOT_FOUND', message: 'No such checkout page', requestId: request.id });
      return;
    }
    const admitted = isFinal(view.status) ? 'opened' : this.streams.admit(request.ip);
    if (admitted !== 'opened') {
      const status = admitted === 'instance_full' ? 503 : 429;
      void reply
        .status(status)
        .headers({ ...headers, 'retry-after': '10' })
        .send({
          code: status === 503 ? 'SERVICE_UNAVAILABLE' : 'TOO_MANY_REQUESTS',
          message: 'Too many open event streams: poll the status instead',
          requestId: request.id,
        });
      return;
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': request.id,
    });
    if (isFinal(view.status)) {
      res.end(`retry: 3000\n\nevent: status\ndata: ${JSON.stringify(this.checkout.state(view))}\n\n`);
      return;
    }
    await this.streams.open(
      res,
      request.ip,
      view,
      async () => (await this.payments.states([view.id]))[0] ?? null,
    );
  }

  @Get(':token/qr.svg')
  @RouteConfig(LIMITED)
  @ApiOperation({ summary: 'SVG of the QR for the amount still due (404 once nothing is due)' })
  @ApiParam(TOKEN_PARAM)
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'The QR image', schema: { type: 'string' } })
  @ApiNotFoundResponse({ description: 'No such checkout page, or nothing to pay (final state, no QR)' })
  async qr(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    const view = await this.checkout.findByToken(token);
    const svg = view ? await this.checkout.qrSvg(view) : null;
    void reply.headers(securityHeaders(null, this.config.checkout.frameAncestors));
    if (!svg) {
      void reply.status(404).type('text/plain; charset=utf-8').send('Not found');
      return;
    }
    void reply.type('image/svg+xml').send(svg);
  }
}
