/**
 * Every user-facing string, in English and in Traditional Chinese as written in Hong Kong. The
 * zh-HK table is typed by the English one, so a missing translation fails `npm run check`.
 * `{name}` placeholders are filled by `format`.
 */
import type { EngineErrorName } from '../../shared/engine';

export const en = {
  'app.name': 'Harbour Chat',
  'app.tagline': 'A private assistant that runs on your own device.',
  'gpu.checking': 'Checking your graphics card…',
  'gpu.noWebgpu':
    'This browser cannot use your graphics card for AI (WebGPU is missing). Use a recent Chrome or Edge (version 113 or later) on a computer, or turn on WebGPU in chrome://flags. Your saved chats still work.',
  'gpu.noAdapter':
    'WebGPU is present, but no graphics card was offered to this page. Update your graphics driver, check that hardware acceleration is on in the browser settings, then reload.',
  'gpu.insecure': 'WebGPU needs a secure page. Open Harbour Chat over https:// (or on localhost).',
  'gpu.noF16':
    'Your graphics card lacks 16-bit shaders (shader-f16), so the f16 models cannot run here; choose an f32 version instead.',
  'gpu.cpuFallback': 'Without WebGPU the small model can still run on the processor. It is much slower.',
  'model.heading': 'Choose a model',
  'model.download': 'Download {size}',
  'model.memory': 'Needs {size} of GPU memory',
  'model.cached': 'Downloaded',
  'model.needsWebgpu': 'Needs WebGPU',
  'model.needsF16': 'Needs shader-f16',
  'model.cpuSlow': 'Runs on the processor (slow)',
  'model.load': 'Load model',
  'model.loadDownload': 'Download and load ({size})',
  'model.cancel': 'Cancel',
  'model.ready': '{name} is ready',
  'model.change': 'Change model',
  'progress.downloading': 'Downloading',
  'progress.loading': 'Loading from cache',
  'progress.compiling': 'Preparing the GPU',
  'progress.ready': 'Ready',
  'progress.amount': '{done} of {total}',
  'progress.speed': '{speed}/s',
  'progress.left': '{time} left',
  'chat.new': 'New chat',
  'chat.history': 'Chats',
  'chat.noHistory': 'No saved chats yet.',
  'chat.delete': 'Delete chat',
  'chat.deleteConfirm': 'Delete “{title}”? This cannot be undone.',
  'chat.untitled': 'New chat',
  'chat.placeholder': 'Ask anything — Enter to send, Shift+Enter for a new line',
  'chat.placeholderNoModel': 'Load a model to start chatting',
  'chat.send': 'Send',
  'chat.stop': 'Stop',
  'chat.you': 'You',
  'chat.assistant': 'Harbour',
  'chat.stopped': 'Stopped',
  'chat.failed': 'This reply did not finish.',
  'chat.thinking': 'Thinking…',
  'chat.thought': 'Thought',
  'chat.empty': 'Start a conversation. Everything stays on this device.',
  'chat.dismiss': 'Dismiss',
  'storage.failed': 'Your chat could not be saved in this browser. It is still on screen; we will try again.',
  'error.WebGPUNotAvailableError':
    'This browser cannot use your graphics card (WebGPU). Try a recent Chrome or Edge.',
  'error.ShaderF16SupportError':
    'This model needs 16-bit shader support your graphics card lacks. Choose an f32 model.',
  'error.DeviceLostError':
    'The graphics card stopped responding (it may have run out of memory). Reload the model, or choose a smaller one.',
  'error.OutOfMemoryError':
    'Not enough graphics memory for this model. Close other tabs or apps, or choose a smaller model.',
  'error.NetworkError':
    'The download was interrupted by the network. Check your connection and press Load again: finished parts are kept.',
  'error.QuotaExceededError':
    'Your disk or browser storage is full. Free some space (or delete a downloaded model), then try again.',
  'error.ModelNotFoundError': 'The model files could not be found on the model host.',
  'error.ModelLibraryError':
    'The model’s GPU program could not be downloaded or started. Check the connection and the model host, then try again.',
  'error.ContextWindowSizeExceededError':
    'This conversation is too long for the model’s memory. Start a new chat or shorten your message.',
  'error.EngineBusyError': 'The model is busy. Wait for the current reply to finish or press Stop.',
  'error.NoModelLoadedError': 'No model is loaded. Load a model first.',
  'error.AbortError': 'Cancelled.',
  'error.UnknownError':
    'Something went wrong in the model engine. Try again; reload the page if it keeps happening.',
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;

export const zhHK: Messages = {
  'app.name': '海港傾偈',
  'app.tagline': '喺你自己部機上運行嘅私人助手。',
  'gpu.checking': '正在檢查你嘅顯示卡…',
  'gpu.noWebgpu':
    '呢個瀏覽器未能用你嘅顯示卡運行 AI（缺少 WebGPU）。請喺電腦上用較新版本嘅 Chrome 或 Edge（113 或以上），或者喺 chrome://flags 開啟 WebGPU。已儲存嘅對話仍然可以睇。',
  'gpu.noAdapter':
    '瀏覽器有 WebGPU，但未有提供顯示卡畀呢個網頁。請更新顯示卡驅動程式，確認瀏覽器設定已開啟硬件加速，然後重新載入。',
  'gpu.insecure': 'WebGPU 需要安全網頁。請用 https://（或 localhost）開啟海港傾偈。',
  'gpu.noF16': '你嘅顯示卡唔支援 16 位元著色器（shader-f16），所以 f16 模型喺呢度用唔到；請改揀 f32 版本。',
  'gpu.cpuFallback': '冇 WebGPU 嘅話，細型號都可以用處理器運行，不過會慢好多。',
  'model.heading': '揀選模型',
  'model.download': '下載 {size}',
  'model.memory': '需要 {size} 顯示記憶體',
  'model.cached': '已下載',
  'model.needsWebgpu': '需要 WebGPU',
  'model.needsF16': '需要 shader-f16',
  'model.cpuSlow': '用處理器運行（較慢）',
  'model.load': '載入模型',
  'model.loadDownload': '下載並載入（{size}）',
  'model.cancel': '取消',
  'model.ready': '{name} 已準備好',
  'model.change': '更換模型',
  'progress.downloading': '下載中',
  'progress.loading': '由快取載入',
  'progress.compiling': '準備顯示卡',
  'progress.ready': '完成',
  'progress.amount': '{done}／{total}',
  'progress.speed': '每秒 {speed}',
  'progress.left': '尚餘 {time}',
  'chat.new': '新對話',
  'chat.history': '對話',
  'chat.noHistory': '仲未有已儲存嘅對話。',
  'chat.delete': '刪除對話',
  'chat.deleteConfirm': '刪除「{title}」？刪除後無法復原。',
  'chat.untitled': '新對話',
  'chat.placeholder': '想問乜都得：Enter 傳送，Shift+Enter 換行',
  'chat.placeholderNoModel': '請先載入模型先開始傾偈',
  'chat.send': '傳送',
  'chat.stop': '停止',
  'chat.you': '你',
  'chat.assistant': '海港',
  'chat.stopped': '已停止',
  'chat.failed': '呢個回覆未完成。',
  'chat.thinking': '思考緊…',
  'chat.thought': '思考過程',
  'chat.empty': '開始對話啦。所有內容只會留喺呢部機。',
  'chat.dismiss': '關閉',
  'storage.failed': '對話未能儲存喺呢個瀏覽器。內容仍然喺畫面上，我哋會再試。',
  'error.WebGPUNotAvailableError':
    '呢個瀏覽器未能使用你嘅顯示卡（WebGPU）。請試下較新版本嘅 Chrome 或 Edge。',
  'error.ShaderF16SupportError': '呢個模型需要 16 位元著色器，你嘅顯示卡唔支援。請揀 f32 模型。',
  'error.DeviceLostError': '顯示卡停止咗回應（可能記憶體不足）。請重新載入模型，或者揀較細嘅模型。',
  'error.OutOfMemoryError': '顯示記憶體唔夠運行呢個模型。請關閉其他分頁或程式，或者揀較細嘅模型。',
  'error.NetworkError': '網絡中斷咗下載。請檢查連線後再按「載入」：已完成嘅部分會保留。',
  'error.QuotaExceededError': '磁碟或瀏覽器儲存空間已滿。請騰出空間（或刪除已下載嘅模型）再試。',
  'error.ModelNotFoundError': '喺模型主機搵唔到模型檔案。',
  'error.ModelLibraryError': '未能下載或啟動模型嘅顯示卡程式。請檢查網絡同模型主機，然後再試。',
  'error.ContextWindowSizeExceededError': '對話太長，超出模型嘅記憶範圍。請開新對話或縮短訊息。',
  'error.EngineBusyError': '模型忙緊。請等目前回覆完成，或者按「停止」。',
  'error.NoModelLoadedError': '未載入模型。請先載入模型。',
  'error.AbortError': '已取消。',
  'error.UnknownError': '模型引擎出咗問題。請再試；如果問題持續，請重新載入網頁。',
};

export type Locale = 'en' | 'zh-HK';

export const tables: Record<Locale, Messages> = { en, 'zh-HK': zhHK };

/** The message key for an engine error. */
export function errorKey(name: EngineErrorName): MessageKey {
  return `error.${name}`;
}

/** Fills `{name}` placeholders. */
export function format(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
