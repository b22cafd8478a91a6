package models_test

import (
	"testing"

	"github.com/assistd/assist"
	"github.com/assistd/assist/models"
)

func TestTensorValidate(t *testing.T) {
	tests := []struct {
		name string
		t    models.Tensor
		ok   bool
	}{
		{"float32 2x3", models.Float32Tensor(make([]float32, 6), 2, 3), true},
		{"int64 1x4", models.Int64Tensor([]int64{1, 2, 3, 4}, 1, 4), true},
		{"empty batch", models.Float32Tensor(nil, 0, 4), true},
		{"too few elements", models.Float32Tensor(make([]float32, 5), 2, 3), false},
		{"too many elements", models.Int64Tensor(make([]int64, 7), 2, 3), false},
		{"data in the other slice", models.Tensor{Type: models.Float32, Shape: []int64{2}, Int64: []int64{1, 2}}, false},
		{"no dimensions", models.Float32Tensor([]float32{1}), false},
		{"negative dimension", models.Float32Tensor(nil, -1, 4), false},
		{"overflow", models.Float32Tensor(nil, 1<<40, 1<<40), false},
		{"no type", models.Tensor{Shape: []int64{1}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.t.Validate()
			if (err == nil) != tt.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tt.ok)
			}
			if err != nil && assist.ErrorCode(err) != assist.EINVALID {
				t.Errorf("code %q, want %q", assist.ErrorCode(err), assist.EINVALID)
			}
		})
	}
}

func TestTensorSpecAccepts(t *testing.T) {
	spec := models.TensorSpec{Name: "x", Type: models.Float32, Shape: []int64{-1, 4}}
	tests := []struct {
		name string
		spec models.TensorSpec
		t    models.Tensor
		ok   bool
	}{
		{"batch 1", spec, models.Float32Tensor(make([]float32, 4), 1, 4), true},
		{"batch 32", spec, models.Float32Tensor(make([]float32, 128), 32, 4), true},
		{"wrong fixed dimension", spec, models.Float32Tensor(make([]float32, 6), 2, 3), false},
		{"wrong rank", spec, models.Float32Tensor(make([]float32, 4), 4), false},
		{"wrong type", spec, models.Int64Tensor(make([]int64, 4), 1, 4), false},
		{"unknown rank", models.TensorSpec{Name: "y", Type: models.Int64}, models.Int64Tensor(make([]int64, 8), 2, 2, 2), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.spec.Accepts(tt.t)
			if (err == nil) != tt.ok {
				t.Fatalf("Accepts() = %v, want ok=%v", err, tt.ok)
			}
			if err != nil && assist.ErrorCode(err) != assist.EINVALID {
				t.Errorf("code %q, want %q", assist.ErrorCode(err), assist.EINVALID)
			}
		})
	}
}
