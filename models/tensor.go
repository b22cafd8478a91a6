package models

import (
	"math"
	"strconv"
	"strings"

	"github.com/assistd/assist"
)

// DType is the element type of a Tensor.
type DType uint8

// The element types models take and return.
const (
	Invalid DType = iota
	Float32
	Int64
)

func (d DType) String() string {
	switch d {
	case Float32:
		return "float32"
	case Int64:
		return "int64"
	}
	return "invalid"
}

// Tensor is a dense array in row-major order. Exactly one of the data slices
// is used, the one named by Type; its length is the product of Shape.
//
// A Tensor is a plain value: copying it shares the data.
type Tensor struct {
	Type    DType
	Shape   []int64
	Float32 []float32 // the data when Type is Float32
	Int64   []int64   // the data when Type is Int64
}

// Float32Tensor returns a float32 tensor of the given shape over data,
// without copying it.
func Float32Tensor(data []float32, shape ...int64) Tensor {
	return Tensor{Type: Float32, Shape: shape, Float32: data}
}

// Int64Tensor returns an int64 tensor of the given shape over data, without
// copying it.
func Int64Tensor(data []int64, shape ...int64) Tensor {
	return Tensor{Type: Int64, Shape: shape, Int64: data}
}

// Len returns the number of elements in the tensor's data slice.
func (t Tensor) Len() int {
	switch t.Type {
	case Float32:
		return len(t.Float32)
	case Int64:
		return len(t.Int64)
	}
	return 0
}

// Validate returns an error with code EINVALID unless t has a known element
// type, at least one dimension, no negative dimension, and exactly as many
// elements as its shape says.
func (t Tensor) Validate() error {
	if t.Type != Float32 && t.Type != Int64 {
		return assist.Errorf(assist.EINVALID, "tensor: unknown element type %d", t.Type)
	}
	if len(t.Shape) == 0 {
		return assist.Errorf(assist.EINVALID, "tensor: no dimensions")
	}
	n := int64(1)
	for _, d := range t.Shape {
		if d < 0 {
			return assist.Errorf(assist.EINVALID, "tensor: negative dimension in shape %s", formatShape(t.Shape))
		}
		if d != 0 && n > math.MaxInt64/d {
			return assist.Errorf(assist.EINVALID, "tensor: shape %s is too large", formatShape(t.Shape))
		}
		n *= d
	}
	if n != int64(t.Len()) {
		return assist.Errorf(assist.EINVALID, "tensor: shape %s holds %d elements, data has %d", formatShape(t.Shape), n, t.Len())
	}
	return nil
}

// formatShape writes a shape as [2 x 3], with ? for a dynamic dimension.
func formatShape(shape []int64) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, d := range shape {
		if i > 0 {
			b.WriteString(" x ")
		}
		if d < 0 {
			b.WriteByte('?')
		} else {
			b.WriteString(strconv.FormatInt(d, 10))
		}
	}
	b.WriteByte(']')
	return b.String()
}
