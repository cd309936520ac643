#include "textflag.h"

// Both kernels load with MOVOU and store with MOVNTO (non-temporal, 16-byte
// aligned destination), then SFENCE so the streamed stores are ordered
// before the caller's next ordinary store. SSE2 only: every amd64 CPU has it.

// func streamSpans(dst, src unsafe.Pointer, n, span, dstStep, srcStep int)
TEXT ·streamSpans(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ span+24(FP), DX
	MOVQ dstStep+32(FP), R8
	MOVQ srcStep+40(FP), BX
	TESTQ CX, CX
	JLE spansDone

spansOuter:
	XORQ AX, AX

spansInner:
	MOVOU  (SI)(AX*1), X0
	MOVOU  16(SI)(AX*1), X1
	MOVOU  32(SI)(AX*1), X2
	MOVOU  48(SI)(AX*1), X3
	MOVNTO X0, (DI)(AX*1)
	MOVNTO X1, 16(DI)(AX*1)
	MOVNTO X2, 32(DI)(AX*1)
	MOVNTO X3, 48(DI)(AX*1)
	ADDQ   $64, AX
	CMPQ   AX, DX
	JLT    spansInner
	ADDQ   R8, DI
	ADDQ   BX, SI
	DECQ   CX
	JNZ    spansOuter

spansDone:
	SFENCE
	RET

// func streamQuads(dst unsafe.Pointer, dstStride int, src unsafe.Pointer, rows *[4]int32, xOff *int32, nx, tiles, tileSize int)
TEXT ·streamQuads(SB), NOSPLIT, $0-64
	MOVQ    dst+0(FP), DI
	MOVQ    dstStride+8(FP), DX
	MOVQ    src+16(FP), SI
	MOVQ    rows+24(FP), AX
	// SI points at row 0 of the quad; R12-R14 hold rows 1-3 relative to it,
	// so each 16-byte run is addressed as column base plus one register.
	MOVLQSX 0(AX), R11
	ADDQ    R11, SI
	MOVLQSX 4(AX), R12
	MOVLQSX 8(AX), R13
	MOVLQSX 12(AX), R14
	SUBQ    R11, R12
	SUBQ    R11, R13
	SUBQ    R11, R14
	MOVQ    xOff+32(FP), R9
	MOVQ    nx+40(FP), R10
	MOVQ    tiles+48(FP), CX
	MOVQ    tileSize+56(FP), BX
	LEAQ    (DX)(DX*2), R8
	TESTQ   CX, CX
	JLE     quadsDone

quadsTile:
	XORQ R11, R11

quadsPair:
	// Two neighbouring runs per step, so each row receives 32
	// contiguous bytes and the write-combining buffers fill in order.
	MOVLQSX (R9)(R11*4), AX
	MOVLQSX 4(R9)(R11*4), R15
	ADDQ    SI, AX
	ADDQ    SI, R15
	MOVOU   (AX), X0
	MOVOU   (AX)(R12*1), X1
	MOVOU   (AX)(R13*1), X2
	MOVOU   (AX)(R14*1), X3
	MOVOU   (R15), X4
	MOVOU   (R15)(R12*1), X5
	MOVOU   (R15)(R13*1), X6
	MOVOU   (R15)(R14*1), X7
	MOVNTO  X0, (DI)
	MOVNTO  X4, 16(DI)
	MOVNTO  X1, (DI)(DX*1)
	MOVNTO  X5, 16(DI)(DX*1)
	MOVNTO  X2, (DI)(DX*2)
	MOVNTO  X6, 16(DI)(DX*2)
	MOVNTO  X3, (DI)(R8*1)
	MOVNTO  X7, 16(DI)(R8*1)
	ADDQ    $32, DI
	ADDQ    $2, R11
	CMPQ    R11, R10
	JLT     quadsPair
	ADDQ    BX, SI
	DECQ    CX
	JNZ     quadsTile

quadsDone:
	SFENCE
	RET
