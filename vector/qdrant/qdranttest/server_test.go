package qdranttest_test

import (
	"context"
	"math"
	"testing"

	pb "github.com/qdrant/go-client/qdrant"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/assistd/assist/vector/qdrant/qdranttest"
)

func setup(t *testing.T) (*pb.Client, context.Context) {
	t.Helper()
	srv := qdranttest.Start(t)
	c, err := pb.NewClient(&pb.Config{Host: srv.Host(), Port: srv.Port(), SkipCompatibilityCheck: true, PoolSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	ctx := context.Background()
	err = c.CreateCollection(ctx, &pb.CreateCollection{
		CollectionName:      "c",
		VectorsConfig:       pb.NewVectorsConfigMap(map[string]*pb.VectorParams{"d": {Size: 2, Distance: pb.Distance_Cosine}}),
		SparseVectorsConfig: pb.NewSparseVectorsConfig(map[string]*pb.SparseVectorParams{"s": {Modifier: pb.Modifier_Idf.Enum()}}),
	})
	if err != nil {
		t.Fatal(err)
	}
	// Points 1..4: sparse index 7 in points 1 and 2 (tf 2 and 1), index 9
	// in point 3; dense vectors at growing angles from (1, 0).
	pts := []*pb.PointStruct{
		{Id: pb.NewIDNum(1), Payload: pb.NewValueMap(map[string]any{"tag": "a"}), Vectors: pb.NewVectorsMap(map[string]*pb.Vector{"s": pb.NewVectorSparse([]uint32{7}, []float32{2}), "d": pb.NewVectorDense([]float32{0, 3})})},
		{Id: pb.NewIDNum(2), Payload: pb.NewValueMap(map[string]any{"tag": "b"}), Vectors: pb.NewVectorsMap(map[string]*pb.Vector{"s": pb.NewVectorSparse([]uint32{7}, []float32{1}), "d": pb.NewVectorDense([]float32{1, 1})})},
		{Id: pb.NewIDNum(3), Payload: pb.NewValueMap(map[string]any{"tag": []any{"a", "b"}}), Vectors: pb.NewVectorsMap(map[string]*pb.Vector{"s": pb.NewVectorSparse([]uint32{9}, []float32{1}), "d": pb.NewVectorDense([]float32{2, 0})})},
		{Id: pb.NewIDNum(4), Vectors: pb.NewVectorsMap(map[string]*pb.Vector{"d": pb.NewVectorDense([]float32{1, 0.5})})},
	}
	if _, err := c.Upsert(ctx, &pb.UpsertPoints{CollectionName: "c", Points: pts}); err != nil {
		t.Fatal(err)
	}
	return c, ctx
}

func scores(t *testing.T, res []*pb.ScoredPoint) map[uint64]float64 {
	t.Helper()
	m := map[uint64]float64{}
	for _, p := range res {
		m[p.GetId().GetNum()] = float64(p.GetScore())
	}
	return m
}

func approx(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-5 {
		t.Errorf("%s = %.6f, want %.6f", what, got, want)
	}
}

func TestSparseIDF(t *testing.T) {
	c, ctx := setup(t)
	res, err := c.Query(ctx, &pb.QueryPoints{CollectionName: "c", Query: pb.NewQuerySparse([]uint32{7, 9}, []float32{1, 1}), Using: new("s")})
	if err != nil {
		t.Fatal(err)
	}
	// N = 3 points with a sparse vector; idf = ln(1 + (N-n+0.5)/(n+0.5)).
	idf7, idf9 := math.Log(1+1.5/2.5), math.Log(1+2.5/1.5)
	s := scores(t, res)
	if len(s) != 3 {
		t.Fatalf("sparse hits %v, want points 1-3 only", s)
	}
	approx(t, "point 1", s[1], 2*idf7)
	approx(t, "point 2", s[2], idf7)
	approx(t, "point 3", s[3], idf9)
	if res[0].GetId().GetNum() != 3 || res[1].GetId().GetNum() != 1 {
		t.Errorf("order %v, want 3 (rare term) then 1", res)
	}
}

func TestRRF(t *testing.T) {
	c, ctx := setup(t)
	prefetch := []*pb.PrefetchQuery{
		{Query: pb.NewQuerySparse([]uint32{7}, []float32{1}), Using: new("s")},             // 1, 2
		{Query: pb.NewQueryDense([]float32{1, 0}), Using: new("d"), Limit: new(uint64(3))}, // 3, 4, 2
	}
	for _, tc := range []struct {
		name    string
		rrf     *pb.Rrf
		want    map[uint64]float64
		wantTop uint64
	}{
		// Qdrant's formula: 1/(rank/weight + k - 1), rank from 1; k = 2.
		{"default", &pb.Rrf{}, map[uint64]float64{1: 1.0 / 2, 2: 1.0/3 + 1.0/4, 3: 1.0 / 2, 4: 1.0 / 3}, 2},
		{"k 61", &pb.Rrf{K: new(uint32(61))}, map[uint64]float64{1: 1.0 / 61, 2: 1.0/62 + 1.0/63, 3: 1.0 / 61, 4: 1.0 / 62}, 2},
		{"weighted", &pb.Rrf{K: new(uint32(61)), Weights: []float32{0.5, 2}}, map[uint64]float64{1: 1.0 / 62, 2: 1.0/64 + 1.0/61.5, 3: 1.0 / 60.5, 4: 1.0 / 61}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := c.Query(ctx, &pb.QueryPoints{CollectionName: "c", Prefetch: prefetch, Query: pb.NewQueryRRF(tc.rrf)})
			if err != nil {
				t.Fatal(err)
			}
			s := scores(t, res)
			for id, want := range tc.want {
				approx(t, "point "+string(rune('0'+id)), s[id], want)
			}
			if res[0].GetId().GetNum() != tc.wantTop {
				t.Errorf("top %d, want %d", res[0].GetId().GetNum(), tc.wantTop)
			}
		})
	}
}

func TestFiltersAndScroll(t *testing.T) {
	c, ctx := setup(t)
	for _, tc := range []struct {
		name string
		f    *pb.Filter
		want int
	}{
		{"keyword matches lists", &pb.Filter{Must: []*pb.Condition{pb.NewMatchKeyword("tag", "a")}}, 2},
		{"must not", &pb.Filter{MustNot: []*pb.Condition{pb.NewMatchKeyword("tag", "a")}}, 2},
		{"should", &pb.Filter{Should: []*pb.Condition{pb.NewHasID(pb.NewIDNum(1)), pb.NewHasID(pb.NewIDNum(4))}}, 2},
		{"is empty", &pb.Filter{Must: []*pb.Condition{pb.NewIsEmpty("tag")}}, 1},
		{"except", &pb.Filter{Must: []*pb.Condition{pb.NewMatchExcept("tag", "a")}}, 2},
	} {
		n, err := c.Count(ctx, &pb.CountPoints{CollectionName: "c", Filter: tc.f})
		if err != nil || int(n) != tc.want {
			t.Errorf("%s: count %d, %v; want %d", tc.name, n, err, tc.want)
		}
	}
	pts, next, err := c.ScrollAndOffset(ctx, &pb.ScrollPoints{CollectionName: "c", Limit: new(uint32(3))})
	if err != nil || len(pts) != 3 || next.GetNum() != 4 {
		t.Fatalf("scroll page 1: %d points, next %v, %v", len(pts), next, err)
	}
	pts, next, err = c.ScrollAndOffset(ctx, &pb.ScrollPoints{CollectionName: "c", Limit: new(uint32(3)), Offset: next})
	if err != nil || len(pts) != 1 || next != nil {
		t.Fatalf("scroll page 2: %d points, next %v, %v", len(pts), next, err)
	}
}

func TestRefuses(t *testing.T) {
	c, ctx := setup(t)
	_, err := c.Upsert(ctx, &pb.UpsertPoints{CollectionName: "c", Points: []*pb.PointStruct{
		{Id: pb.NewIDNum(5), Vectors: pb.NewVectorsMap(map[string]*pb.Vector{"d": pb.NewVectorDense([]float32{1, 2, 3})})},
	}})
	if status.Code(err) != codes.InvalidArgument {
		t.Errorf("wrong dense size: %v", err)
	}
	_, err = c.Query(ctx, &pb.QueryPoints{CollectionName: "nope", Query: pb.NewQueryDense([]float32{1, 0}), Using: new("d")})
	if status.Code(err) != codes.NotFound {
		t.Errorf("unknown collection: %v", err)
	}
	_, err = c.Query(ctx, &pb.QueryPoints{CollectionName: "c", Query: pb.NewQuerySample(pb.Sample_Random)})
	if status.Code(err) != codes.Unimplemented {
		t.Errorf("unsupported query: %v", err)
	}
}
