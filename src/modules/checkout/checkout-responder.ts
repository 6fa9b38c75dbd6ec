import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { gzipSync } from 'node:zlib';
import { AppConfig } from '../../config/app-config.js';
import type { CheckoutLocale } from '../payments/checkout-fields.js';
import { newNonce, PAGE_ASSETS, securityHeaders } from './checkout-assets.js';
import { renderMessagePage } from './checkout-page.js';

/** How the checkout's routes answer: every page and redirect with the strict security headers. */
@Injectable()
export class CheckoutResponder {
  constructor(private readonly config: AppConfig) {}

  /** An HTML page, gzipped when the browser takes it (the page is rendered per request, never cached). */
  html(
    reply: FastifyReply,
    status: number,
    nonce: string,
    encoding: string | undefined,
    html: string,
    formTargets: string[] = [],
  ): void {
    void reply
      .status(status)
      .headers(securityHeaders(nonce, this.config.checkout.frameAncestors, formTargets))
      .header('vary', 'accept-encoding')
      .type('text/html; charset=utf-8');
    if (/\bgzip\b/.test(encoding ?? '')) {
      void reply.header('content-encoding', 'gzip').send(gzipSync(html, { level: 6 }));
    } else {
      void reply.send(html);
    }
  }

  /** The 404 page of an unknown token: it says nothing about any payment. */
  notFound(reply: FastifyReply, locale: CheckoutLocale, encoding: string | undefined): void {
    const nonce = newNonce();
    this.html(
      reply,
      404,
      nonce,
      encoding,
      renderMessagePage({ locale, nonce, assets: PAGE_ASSETS, kind: 'not_found' }),
    );
  }

  redirect(reply: FastifyReply, location: string): void {
    void reply
      .status(303)
      .headers(securityHeaders(null, this.config.checkout.frameAncestors))
      .header('location', location)
      .send();
  }

  backToPage(reply: FastifyReply, checkoutUrl: string, locale: CheckoutLocale): void {
    this.redirect(reply, `${new URL(checkoutUrl).pathname}?lang=${locale}`);
  }
}
