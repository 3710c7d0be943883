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
