//go:build !purego

#include "textflag.h"

// HSUM_Y4_Y5_AX adds the eight int32 lanes of Y4 and Y5 into AX.
#define HSUM_Y4_Y5_AX \
	VPADDD       Y5, Y4, Y4   \
	VEXTRACTI128 $1, Y4, X5   \
	VPADDD       X5, X4, X4   \
	VPSHUFD      $0x4e, X4, X5 \
	VPADDD       X5, X4, X4   \
	VPSHUFD      $0xb1, X4, X5 \
	VPADDD       X5, X4, X4   \
	VMOVD        X4, AX

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

	HSUM_Y4_Y5_AX
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

// func dotCol100AVX2(vecs *int8, ids *ID, n int, y *int8, out *int32)
//
// out[i] = the dot product of word ids[i]'s vector (at vecs+100*ids[i]) with
// y, for i < n; 0 for an id below 0. y's components stay widened in
// registers across the words; each sum is exact as in dot100AVX2.
TEXT ·dotCol100AVX2(SB), NOSPLIT, $0-40
	MOVQ      vecs+0(FP), R8
	MOVQ      ids+8(FP), R9
	MOVQ      n+16(FP), CX
	MOVQ      y+24(FP), DI
	MOVQ      out+32(FP), R10
	VPMOVSXBW (DI), Y8
	VPMOVSXBW 16(DI), Y9
	VPMOVSXBW 32(DI), Y10
	VPMOVSXBW 48(DI), Y11
	VPMOVSXBW 64(DI), Y12
	VPMOVSXBW 80(DI), Y13
	MOVL      96(DI), AX
	VMOVD     AX, X14
	VPMOVSXBW X14, X14
	XORQ      DX, DX

col_loop:
	CMPQ    DX, CX
	JGE     col_done
	MOVLQSX (R9)(DX*4), AX
	TESTQ   AX, AX
	JS      col_unknown
	IMULQ   $100, AX
	LEAQ    (R8)(AX*1), SI

	VPMOVSXBW (SI), Y0
	VPMADDWD  Y8, Y0, Y4
	VPMOVSXBW 16(SI), Y1
	VPMADDWD  Y9, Y1, Y5
	VPMOVSXBW 32(SI), Y2
	VPMADDWD  Y10, Y2, Y2
	VPADDD    Y2, Y4, Y4
	VPMOVSXBW 48(SI), Y3
	VPMADDWD  Y11, Y3, Y3
	VPADDD    Y3, Y5, Y5
	VPMOVSXBW 64(SI), Y0
	VPMADDWD  Y12, Y0, Y0
	VPADDD    Y0, Y4, Y4
	VPMOVSXBW 80(SI), Y1
	VPMADDWD  Y13, Y1, Y1
	VPADDD    Y1, Y5, Y5
	MOVL      96(SI), BX
	VMOVD     BX, X2
	VPMOVSXBW X2, X2
	VPMADDWD  X14, X2, X2
	VPADDD    Y2, Y4, Y4

	HSUM_Y4_Y5_AX
	MOVL         AX, (R10)(DX*4)
	INCQ         DX
	JMP          col_loop

col_unknown:
	MOVL $0, (R10)(DX*4)
	INCQ DX
	JMP  col_loop

col_done:
	VZEROUPPER
	RET
