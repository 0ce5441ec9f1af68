// The browser side of the story: fetch a JPEG, decode it in the page (readImage picks the
// pure-JavaScript codec: sharp is Node-only), show it on a canvas in one call, then show the
// log-magnitude spectrum of a strided crop beside it.
import { imageDataFromImage, readImage, releaseImageData, writeImage, type ImageDataLike } from '@interop/image';
import { fftStory } from './fft-story.js';

function show(id: string, pixels: ImageDataLike): void {
  const canvas = document.querySelector<HTMLCanvasElement>(`#${id}`)!;
  canvas.width = pixels.width;
  canvas.height = pixels.height;
  canvas.getContext('2d')!.putImageData(pixels as ImageData, 0, 0);
}

async function main(): Promise<void> {
  const response = await fetch('./photo.jpg');
  const bytes = new Uint8Array(await response.arrayBuffer());
  const photo = await readImage(bytes);
  const shown = imageDataFromImage(photo); // RGB -> RGBA, one call
  show('photo', shown);
  releaseImageData(shown);
  // Files written in the page: PNG (fast-png) back exactly; JPEG (the browser's encoder) back closely.
  const again = await readImage(await writeImage(photo, { format: 'png' }));
  const pngExact = again.data.length === photo.data.length && again.data.every((value, index) => value === photo.data[index]);
  const jpeg = await writeImage(photo, { format: 'jpeg', quality: 95 });
  const jpegBack = await readImage(jpeg);
  let jpegTotal = 0;
  jpegBack.data.forEach((value, index) => (jpegTotal += Math.abs(Number(value) - Number(photo.data[index]))));
  const jpegMean = jpegTotal / photo.data.length;
  const crop = { top: 0, left: 0, size: 32, step: 2 };
  const story = await fftStory(bytes, crop);
  show('spectrum', story.imageData);
  releaseImageData(story.imageData);
  document.querySelector('#metadata')!.textContent = [
    `photo ${photo.size.join(' x ')} ${photo.pixelType} ${photo.componentType}`,
    `crop ${crop.size} x ${crop.size} every ${crop.step} pixels, a view: ${story.cropWasView}`,
    `DC ${story.spectrum[0]!.toFixed(3)}`,
    `png round trip exact: ${pngExact}`,
    `jpeg written in the page: ${jpeg.length > 0 && jpeg[0] === 0xff && jpeg[1] === 0xd8}, mean difference ${jpegMean.toFixed(2)}`,
  ].join('\n');
  document.body.dataset.ready = 'true';
}

main().catch((error: unknown) => {
  document.querySelector('#metadata')!.textContent = `error: ${String(error)}`;
  document.body.dataset.ready = 'error';
});
