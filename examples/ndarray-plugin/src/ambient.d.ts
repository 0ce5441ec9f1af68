// Minimal declarations for the two array libraries (neither ships its own types).
declare module 'ndarray' {
  interface ScijsNdarray {
    readonly data: ArrayBufferView;
    readonly shape: number[];
    readonly stride: number[];
    readonly offset: number;
    readonly dtype: string;
    readonly size: number;
    get(...index: number[]): number;
    set(...indexAndValue: number[]): number;
    pick(...index: (number | null)[]): ScijsNdarray;
    transpose(...axes: number[]): ScijsNdarray;
    step(...steps: number[]): ScijsNdarray;
    hi(...index: number[]): ScijsNdarray;
    lo(...index: number[]): ScijsNdarray;
  }
  function ndarray(data: ArrayBufferView, shape?: number[], stride?: number[], offset?: number): ScijsNdarray;
  export = ndarray;
}

declare module '@stdlib/ndarray' {
  interface StdlibNdarray {
    readonly dtype: string;
    readonly data: ArrayBufferView;
    readonly shape: number[];
    readonly strides: number[];
    readonly offset: number;
    readonly order: 'row-major' | 'column-major';
    get(...index: number[]): number;
    set(...indexAndValue: number[]): StdlibNdarray;
  }
  interface StdlibNdarrayConstructor {
    new (dtype: string, data: ArrayBufferView, shape: number[], strides: number[], offset: number, order: 'row-major' | 'column-major'): StdlibNdarray;
  }
  const namespace: {
    ndarray: StdlibNdarrayConstructor;
    array(data: ArrayBufferView, options?: { shape?: number[]; order?: 'row-major' | 'column-major' }): StdlibNdarray;
  };
  export = namespace;
}
