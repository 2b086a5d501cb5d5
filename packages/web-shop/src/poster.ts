import QRCode from 'qrcode';

export interface PosterText {
  title: string;
  subtitle: string;
  nickname: string;
  codeLine: string;
  scanLine: string;
}

const W = 750;
const H = 1200;

function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('image failed to load'));
    img.src = src;
  });
}

/**
 * Draws the share poster (title, inviter, QR code of the share link, referral code) on a
 * canvas and returns it as a PNG data URL the shopper can save. Everything is drawn
 * locally: no image leaves the browser.
 */
export async function renderPoster(shareUrl: string, text: PosterText): Promise<string> {
  const canvas = document.createElement('canvas');
  canvas.width = W;
  canvas.height = H;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('canvas is not available');
  const bg = ctx.createLinearGradient(0, 0, 0, H);
  bg.addColorStop(0, '#ff7a45');
  bg.addColorStop(1, '#fa541c');
  ctx.fillStyle = bg;
  ctx.fillRect(0, 0, W, H);

  ctx.fillStyle = '#fff';
  ctx.textAlign = 'center';
  ctx.font = 'bold 64px sans-serif';
  ctx.fillText(text.title, W / 2, 170);
  ctx.font = '34px sans-serif';
  ctx.fillText(text.subtitle, W / 2, 240);

  // white card holding the QR code
  ctx.fillStyle = '#fff';
  const cardX = 95;
  const cardY = 320;
  const cardW = W - 190;
  const cardH = 720;
  ctx.beginPath();
  ctx.roundRect(cardX, cardY, cardW, cardH, 32);
  ctx.fill();

  ctx.fillStyle = '#333';
  ctx.font = 'bold 38px sans-serif';
  ctx.fillText(text.nickname, W / 2, cardY + 80);

  const qr = await QRCode.toDataURL(shareUrl, { width: 420, margin: 1, errorCorrectionLevel: 'M' });
  const img = await loadImage(qr);
  ctx.drawImage(img, (W - 420) / 2, cardY + 120, 420, 420);

  ctx.fillStyle = '#fa541c';
  ctx.font = 'bold 40px monospace';
  ctx.fillText(text.codeLine, W / 2, cardY + 610);
  ctx.fillStyle = '#888';
  ctx.font = '28px sans-serif';
  ctx.fillText(text.scanLine, W / 2, cardY + 670);
  return canvas.toDataURL('image/png');
}
