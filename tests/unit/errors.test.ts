import { describe, expect, it } from 'vitest';
import { toEngineError } from '../../workers/errors';
import { asEngineError, EngineError, engineErrorNames } from '../../src/shared/engine';
import { en, zhHK, errorKey } from '../../src/lib/i18n/messages';

function named(name: string, message = '') {
  const error = new Error(message);
  error.name = name;
  return error;
}

describe('toEngineError (worker side)', () => {
  it.each([
    [named('WebGPUNotAvailableError'), 'WebGPUNotAvailableError'],
    [named('WebGPUNotFoundError'), 'WebGPUNotAvailableError'],
    [named('ShaderF16SupportError'), 'ShaderF16SupportError'],
    [named('DeviceLostError'), 'DeviceLostError'],
    [named('ContextWindowSizeExceededError'), 'ContextWindowSizeExceededError'],
    [named('ModelNotFoundError'), 'ModelNotFoundError'],
    [new DOMException('The quota has been exceeded.', 'QuotaExceededError'), 'QuotaExceededError'],
    [new DOMException('signal is aborted', 'AbortError'), 'AbortError'],
    [new TypeError('Failed to fetch'), 'NetworkError'],
    [
      new Error('Cannot fetch https://x/params_shard_3.bin err= TypeError: NetworkError when attempting'),
      'NetworkError',
    ],
    [new Error('Out of memory: failed to allocate buffer'), 'OutOfMemoryError'],
    [new Error('Engine.unload() is called.'), 'AbortError'],
    [named('CompileError', 'WebAssembly.instantiate(): expected magic word'), 'ModelLibraryError'],
    // The real texts, from node_modules and from `npm run verify:sizes` (a 1.97 GB model).
    [new Error("Can't create a session. ERROR_CODE: 6, ERROR_MESSAGE: std::bad_alloc"), 'OutOfMemoryError'],
    [
      new Error("Can't create a session. failed to allocate a buffer of size 1965986650."),
      'OutOfMemoryError',
    ],
    [new RangeError('Array buffer allocation failed'), 'OutOfMemoryError'],
    [
      named(
        'ModelFileNotFoundError',
        'Could not locate file: "https://huggingface.co/onnx-community/x/resolve/main/onnx/model_q4f16.onnx".',
      ),
      'ModelNotFoundError',
    ],
    [
      new Error('Could not locate file: "http://127.0.0.1:1/a/b/resolve/main/config.json".'),
      'ModelNotFoundError',
    ],
    [
      named(
        'MissingModelError',
        'Missing `model_lib` for the model with ID "x". Please ensure that `model_lib` is provided in `model_list` for each model.',
      ),
      'ModelLibraryError',
    ],
    [
      new Error(
        "failed to call OrtRun(). ERROR_CODE: 1, ERROR_MESSAGE: Non-zero status code returned while running Gather node. Name:'' Status Message: shader_helper.cc:416 GenerateSourceCode Program Gather requires f16 but the device does not support it.",
      ),
      'ShaderF16SupportError',
    ],
    [new Error('The device (webgpu) does not support fp16.'), 'ShaderF16SupportError'],
    [new Error('something odd'), 'UnknownError'],
    ['a string', 'UnknownError'],
  ])('maps %s to %s', (cause, expected) => {
    expect(toEngineError(cause).name).toBe(expected);
  });

  it('keeps the original text as detail', () => {
    expect(toEngineError(new TypeError('Failed to fetch')).message).toBe('Failed to fetch');
  });

  it('passes EngineErrors through unchanged', () => {
    const error = new EngineError('EngineBusyError', 'busy');
    expect(toEngineError(error)).toBe(error);
  });
});

describe('asEngineError (page side)', () => {
  it('reads the stable name that comlink carries across', () => {
    const crossed = Object.assign(new Error('lost'), { name: 'DeviceLostError' });
    expect(asEngineError(crossed).name).toBe('DeviceLostError');
  });

  it('treats unknown names as UnknownError', () => {
    expect(asEngineError(new RangeError('x')).name).toBe('UnknownError');
  });
});

describe('message table', () => {
  it('has a message in both languages for every engine error', () => {
    for (const name of engineErrorNames) {
      expect(en[errorKey(name)]).toBeTruthy();
      expect(zhHK[errorKey(name)]).toBeTruthy();
    }
  });

  it('never shows the same text in both languages for error messages', () => {
    for (const name of engineErrorNames) expect(zhHK[errorKey(name)]).not.toBe(en[errorKey(name)]);
  });
});
