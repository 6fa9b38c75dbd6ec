import type { CheckoutLocale } from '../payments/checkout-fields.js';
import type { PaymentStatus } from '../payments/payment-status.js';

export interface CheckoutStrings {
  htmlLang: string;
  title: string;
  payTo: string;
  amountDue: string;
  orderAmount: string;
  received: string;
  scanHint: string;
  qrAlt: string;
  bank: string;
  account: string;
  accountName: string;
  content: string;
  amount: string;
  contentHint: string;
  copy: string;
  copied: string;
  copyLabel: string;
  expiresIn: string;
  expiresAt: string;
  status: Record<PaymentStatus, string>;
  partialNotice: string;
  finalNotice: Record<'PAID' | 'OVERPAID' | 'EXPIRED' | 'CANCELLED', string>;
  redirecting: string;
  backToMerchant: string;
  openApp: string;
  prefills: string;
  appsHint: string;
  cancel: string;
  cancelQuestion: string;
  cancelExplain: string;
  cancelYes: string;
  cancelNo: string;
  notFoundTitle: string;
  notFoundText: string;
  otherLanguage: string;
  otherLanguageCode: CheckoutLocale;
  noQr: string;
}

const VI: CheckoutStrings = {
  htmlLang: 'vi',
  title: 'Thanh toán',
  payTo: 'Thanh toán cho',
  amountDue: 'Số tiền cần chuyển',
  orderAmount: 'Số tiền đơn hàng',
  received: 'Đã nhận {paid} trên tổng {total}.',
  scanHint: 'Mở ứng dụng ngân hàng và quét mã QR',
  qrAlt: 'Mã VietQR để chuyển {amount}',
  bank: 'Ngân hàng',
  account: 'Số tài khoản',
  accountName: 'Chủ tài khoản',
  content: 'Nội dung chuyển khoản',
  amount: 'Số tiền',
  contentHint: 'Ghi đúng nội dung này để giao dịch được xác nhận tự động.',
  copy: 'Sao chép',
  copied: 'Đã chép',
  copyLabel: 'Sao chép {what}',
  expiresIn: 'Mã hết hạn sau',
  expiresAt: 'Hạn thanh toán: {at}',
  status: {
    PENDING: 'Đang chờ thanh toán',
    PARTIALLY_PAID: 'Đã nhận một phần, vui lòng chuyển số tiền còn lại',
    PAID: 'Thanh toán thành công',
    OVERPAID: 'Đã thanh toán (chuyển dư)',
    EXPIRED: 'Giao dịch đã hết hạn',
    CANCELLED: 'Giao dịch đã bị hủy',
  },
  partialNotice: 'Mã QR bên dưới dành cho số tiền còn lại.',
  finalNotice: {
    PAID: 'Cảm ơn bạn! Người bán đã nhận được tiền.',
    OVERPAID:
      'Cảm ơn bạn! Bạn đã chuyển nhiều hơn số cần trả; người bán sẽ liên hệ với bạn về khoản chênh lệch.',
    EXPIRED:
      'Mã QR không còn hiệu lực. Đừng chuyển khoản cho giao dịch này; hãy quay lại cửa hàng để đặt lại.',
    CANCELLED: 'Giao dịch đã bị hủy. Đừng chuyển khoản cho giao dịch này.',
  },
  redirecting: 'Đang chuyển về trang của người bán…',
  backToMerchant: 'Quay lại cửa hàng',
  openApp: 'Mở bằng ứng dụng ngân hàng',
  prefills: 'điền sẵn',
  appsHint:
    'Ứng dụng có nhãn "điền sẵn" tự điền số tiền và nội dung. Với ứng dụng khác, hãy sao chép nội dung chuyển khoản trước.',
  cancel: 'Hủy thanh toán',
  cancelQuestion: 'Hủy thanh toán này?',
  cancelExplain: 'Sau khi hủy, mã QR không còn dùng được. Nếu bạn đã chuyển khoản, đừng hủy.',
  cancelYes: 'Có, hủy thanh toán',
  cancelNo: 'Không, quay lại',
  notFoundTitle: 'Không tìm thấy trang thanh toán',
  notFoundText: 'Liên kết không đúng hoặc không còn tồn tại. Hãy quay lại cửa hàng và thử lại.',
  otherLanguage: 'English',
  otherLanguageCode: 'en',
  noQr: 'Mã QR đang được tạo. Vui lòng tải lại trang sau ít phút.',
};

const EN: CheckoutStrings = {
  htmlLang: 'en',
  title: 'Payment',
  payTo: 'Pay to',
  amountDue: 'Amount to transfer',
  orderAmount: 'Order amount',
  received: 'Received {paid} of {total}.',
  scanHint: 'Open your banking app and scan the QR code',
  qrAlt: 'VietQR code to transfer {amount}',
  bank: 'Bank',
  account: 'Account number',
  accountName: 'Account name',
  content: 'Transfer content',
  amount: 'Amount',
  contentHint: 'Use exactly this content so the payment is confirmed automatically.',
  copy: 'Copy',
  copied: 'Copied',
  copyLabel: 'Copy {what}',
  expiresIn: 'Code expires in',
  expiresAt: 'Pay before {at}',
  status: {
    PENDING: 'Waiting for your transfer',
    PARTIALLY_PAID: 'Partly paid: please transfer the rest',
    PAID: 'Payment received',
    OVERPAID: 'Paid (more than due)',
    EXPIRED: 'This payment has expired',
    CANCELLED: 'This payment was cancelled',
  },
  partialNotice: 'The QR code below is for the rest.',
  finalNotice: {
    PAID: 'Thank you! The merchant has received your money.',
    OVERPAID: 'Thank you! You sent more than was due; the merchant will contact you about the difference.',
    EXPIRED:
      'This QR code is no longer valid. Do not transfer for this payment; go back to the shop to order again.',
    CANCELLED: 'This payment was cancelled. Do not transfer for it.',
  },
  redirecting: "Taking you back to the merchant's site…",
  backToMerchant: 'Back to the shop',
  openApp: 'Open in a banking app',
  prefills: 'pre-filled',
  appsHint:
    'Apps marked "pre-filled" fill in the amount and content. For the others, copy the transfer content first.',
  cancel: 'Cancel payment',
  cancelQuestion: 'Cancel this payment?',
  cancelExplain: 'Once cancelled, the QR code no longer works. If you already transferred, do not cancel.',
  cancelYes: 'Yes, cancel the payment',
  cancelNo: 'No, go back',
  notFoundTitle: 'Payment page not found',
  notFoundText: 'The link is wrong or no longer exists. Go back to the shop and try again.',
  otherLanguage: 'Tiếng Việt',
  otherLanguageCode: 'vi',
  noQr: 'The QR code is being prepared. Please reload the page in a few minutes.',
};

export function stringsFor(locale: CheckoutLocale): CheckoutStrings {
  return locale === 'en' ? EN : VI;
}

/** Fills {name} placeholders (values are escaped by the caller's template, not here). */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, key: string) => values[key] ?? m);
}
