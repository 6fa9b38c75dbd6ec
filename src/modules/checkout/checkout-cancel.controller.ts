import { Controller, Get, Headers, Param, Post, Query, Res } from '@nestjs/common';
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
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../../config/app-config.js';
import { newNonce, PAGE_ASSETS } from './checkout-assets.js';
import { renderCancelConfirmPage } from './checkout-page.js';
import { CheckoutResponder } from './checkout-responder.js';
import { LANG_QUERY, LIMITED, NOT_FOUND, TOKEN_PARAM } from './checkout-routes.js';
import { CheckoutService, redirectUrlFor } from './checkout.service.js';

/** The payer cancels from the page: a confirmation page first (no JavaScript needed), then a form post. */
@ApiTags('checkout')
@Controller('pay')
export class CheckoutCancelController {
  constructor(
    private readonly checkout: CheckoutService,
    private readonly config: AppConfig,
    private readonly reply: CheckoutResponder,
  ) {}

  @Get(':token/cancel')
  @RouteConfig(LIMITED)
  @ApiOperation({
    summary: 'Asks the payer to confirm cancelling (HTML); back to the page when not possible',
  })
  @ApiParam(TOKEN_PARAM)
  @ApiQuery(LANG_QUERY)
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The confirmation page', schema: { type: 'string' } })
  @ApiResponse({ status: 303, description: 'Not cancellable from the page (paid, final, or no cancelUrl)' })
  @ApiNotFoundResponse(NOT_FOUND)
  async confirmCancel(
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
    if (!view.cancelUrl || view.status !== 'PENDING') {
      this.reply.backToPage(reply, view.checkoutUrl, locale);
      return;
    }
    const nonce = newNonce();
    const html = renderCancelConfirmPage({
      view,
      locale,
      merchantName: this.config.checkout.merchantDisplayName,
      nonce,
      assets: PAGE_ASSETS,
    });
    this.reply.html(reply, 200, nonce, encoding, html, [new URL(view.cancelUrl).origin]);
  }

  @Post(':token/cancel')
  @RouteConfig(LIMITED)
  @ApiOperation({
    summary: 'The payer cancels a PENDING payment (form post from the confirmation page)',
    description: "303 to the payment's cancelUrl with paymentId, orderId, status=CANCELLED and cancel=true.",
  })
  @ApiParam(TOKEN_PARAM)
  @ApiQuery(LANG_QUERY)
  @ApiResponse({ status: 303, description: 'To cancelUrl once cancelled, else back to the page' })
  @ApiNotFoundResponse(NOT_FOUND)
  async cancel(
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
    if (!view.cancelUrl) {
      this.reply.backToPage(reply, view.checkoutUrl, locale);
      return;
    }
    const outcome = await this.checkout.cancelByPayer(token);
    if (outcome.result !== 'cancelled') {
      this.reply.backToPage(reply, view.checkoutUrl, locale);
      return;
    }
    const target = redirectUrlFor(outcome.view, 'CANCELLED', true)!;
    this.reply.redirect(reply, target);
  }
}
