//go:build !purego

#include "textflag.h"

// func dot100AVX2(x, y *int8) int32
//
// The dot product of two vectors of Dim (100) int8 components: each 16
// components are widened to int16 and multiplied in pairs into int32 sums
// (VPMADDWD), so every sum is exact. It reads exactly 100 bytes of each.
TEXT ·dot100AVX2(SB), NOSPLIT, $0-20
	MOVQ x+0(FP), SI
	MOVQ y+8(FP), DI
	VPMOVSXBW (SI), Y0
	VPMOVSXBW (DI), Y1
	VPMADDWD  Y1, Y0, Y4
	VPMOVSXBW 16(SI), Y0
	VPMOVSXBW 16(DI), Y1
	VPMADDWD  Y1, Y0, Y5
	VPMOVSXBW 32(SI), Y0
	VPMOVSXBW 32(DI), Y1
	VPMADDWD  Y1, Y0, Y2
	VPADDD    Y2, Y4, Y4
	VPMOVSXBW 48(SI), Y0
	VPMOVSXBW 48(DI), Y1
	VPMADDWD  Y1, Y0, Y3
	VPADDD    Y3, Y5, Y5
	VPMOVSXBW 64(SI), Y0
	VPMOVSXBW 64(DI), Y1
	VPMADDWD  Y1, Y0, Y2
	VPADDD    Y2, Y4, Y4
	VPMOVSXBW 80(SI), Y0
	VPMOVSXBW 80(DI), Y1
	VPMADDWD  Y1, Y0, Y3
	VPADDD    Y3, Y5, Y5

	// The last 4 components: the upper lanes are zero.
	MOVL      96(SI), AX
	MOVL      96(DI), BX
	VMOVD     AX, X0
	VMOVD     BX, X1
	VPMOVSXBW X0, X0
	VPMOVSXBW X1, X1
	VPMADDWD  X1, X0, X2
	VPADDD    Y2, Y4, Y4

	VPADDD       Y5, Y4, Y4
	VEXTRACTI128 $1, Y4, X5
	VPADDD       X5, X4, X4
	VPSHUFD      $0x4e, X4, X5
	VPADDD       X5, X4, X4
	VPSHUFD      $0xb1, X4, X5
	VPADDD       X5, X4, X4
	VMOVD        X4, AX
	VZEROUPPER
	MOVL         AX, ret+16(FP)
	RET

// func addTo100AVX2(v *float32, x *int8, s float32)
//
// v[i] += float32(x[i]) * s for the Dim (100) components, lane by lane:
// the same conversion, product and sum, each rounded to float32, as Go's
// loop (AddTo), eight at a time.
TEXT ·addTo100AVX2(SB), NOSPLIT, $0-20
	MOVQ         v+0(FP), DI
	MOVQ         x+8(FP), SI
	VBROADCASTSS s+16(FP), Y7
	VPMOVSXBD (SI), Y0
	VCVTDQ2PS Y0, Y0
	VMULPS    Y7, Y0, Y0
	VADDPS    (DI), Y0, Y0
	VMOVUPS   Y0, (DI)
	VPMOVSXBD 8(SI), Y0
	VCVTDQ2PS Y0, Y0
	VMULPS    Y7, Y0, Y0
	VADDPS    32(DI), Y0, Y0
	VMOVUPS   Y0, 32(DI)
	VPMOVSXBD 16(SI), Y0
	VCVTDQ2PS Y0, Y0
	VMULPS    Y7, Y0, Y0
	VADDPS    64(DI), Y0, Y0
	VMOVUPS   Y0, 64(DI)
	VPMOVSXBD 24(SI), Y0
	VCVTDQ2PS Y0, Y0
	VMULPS    Y7, Y0, Y0
	VADDPS    96(DI), Y0, Y0
	VMOVUPS   Y0, 96(DI)
	VPMOVSXBD 32(SI), Y0
	VCVTDQ2PS Y0, Y0
	VMULPS    Y7, Y0, Y0
	VADDPS    128(DI), Y0, Y0
	VMOVUPS   Y0, 128(DI)
	VPMOVSXBD 40(SI), Y0
	VCVTDQ2PS Y0, Y0
	VMULPS    Y7, Y0, Y0
	VADDPS    160(DI), Y0, Y0
	VMOVUPS   Y0, 160(DI)
	VPMOVSXBD 48(SI), Y0
	VCVTDQ2PS Y0, Y0
	VMULPS    Y7, Y0, Y0
	VADDPS    192(DI), Y0, Y0
	VMOVUPS   Y0, 192(DI)
	VPMOVSXBD 56(SI), Y0
	VCVTDQ2PS Y0, Y0
	VMULPS    Y7, Y0, Y0
	VADDPS    224(DI), Y0, Y0
	VMOVUPS   Y0, 224(DI)
	VPMOVSXBD 64(SI), Y0
	VCVTDQ2PS Y0, Y0
	VMULPS    Y7, Y0, Y0
	VADDPS    256(DI), Y0, Y0
	VMOVUPS   Y0, 256(DI)
	VPMOVSXBD 72(SI), Y0
	VCVTDQ2PS Y0, Y0
	VMULPS    Y7, Y0, Y0
	VADDPS    288(DI), Y0, Y0
	VMOVUPS   Y0, 288(DI)
	VPMOVSXBD 80(SI), Y0
	VCVTDQ2PS Y0, Y0
	VMULPS    Y7, Y0, Y0
	VADDPS    320(DI), Y0, Y0
	VMOVUPS   Y0, 320(DI)
	VPMOVSXBD 88(SI), Y0
	VCVTDQ2PS Y0, Y0
	VMULPS    Y7, Y0, Y0
	VADDPS    352(DI), Y0, Y0
	VMOVUPS   Y0, 352(DI)

	// The last 4 components.
	MOVL      96(SI), AX
	VMOVD     AX, X0
	VPMOVSXBD X0, X0
	VCVTDQ2PS X0, X0
	VMULPS    X7, X0, X0
	VADDPS    384(DI), X0, X0
	VMOVUPS   X0, 384(DI)
	VZEROUPPER
	RET
