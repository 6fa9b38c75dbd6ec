// The routes VietQR calls, under config.partner.callbackPrefix (VIETQR_CALLBACK_PREFIX).
export const TOKEN_PATH = '/api/token_generate';
export const TRANSACTION_SYNC_PATH = '/bank/api/transaction-sync';
