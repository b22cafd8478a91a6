package qdranttest

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"net"
	"slices"
	"strconv"
	"sync"
	"testing"

	pb "github.com/qdrant/go-client/qdrant"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// Version is the Qdrant version the server reports.
const Version = "1.17.0"

// Server is an in-memory Qdrant. Its methods are safe for concurrent use.
type Server struct {
	// APIKey, when set, must come in every request's "api-key" metadata.
	APIKey string

	mu    sync.Mutex
	cols  map[string]*collection
	calls map[string]int
	grpc  *grpc.Server
	addr  string
}

type collection struct {
	dense   map[string]*pb.VectorParams
	sparse  map[string]*pb.SparseVectorParams
	schema  map[string]*pb.PayloadSchemaInfo
	points  map[string]*point // by idKey
	version uint64
}

type point struct {
	id      *pb.PointId
	payload map[string]*pb.Value
	dense   map[string][]float32 // normalised for cosine
	sparse  map[string]sparseVec
}

type sparseVec struct {
	idx []uint32
	val []float32
}

// NewServer returns a server with no collections.
func NewServer() *Server {
	return &Server{cols: map[string]*collection{}, calls: map[string]int{}}
}

// Start runs a new server on a loopback port until the test ends.
func Start(tb testing.TB) *Server {
	tb.Helper()
	s := NewServer()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s.addr = lis.Addr().String()
	s.grpc = grpc.NewServer(grpc.UnaryInterceptor(s.auth))
	s.Register(s.grpc)
	go s.grpc.Serve(lis) //nolint:errcheck // Serve returns when Stop is called.
	tb.Cleanup(s.Stop)
	return s
}

// Addr is the host:port Start listens on.
func (s *Server) Addr() string { return s.addr }

// Host and Port split Addr.
func (s *Server) Host() string { h, _, _ := net.SplitHostPort(s.addr); return h }

// Port is the port of Addr.
func (s *Server) Port() int {
	_, p, _ := net.SplitHostPort(s.addr)
	n, _ := strconv.Atoi(p)
	return n
}

// Stop stops a server run by Start; clients then get codes.Unavailable.
func (s *Server) Stop() {
	if s.grpc != nil {
		s.grpc.Stop()
	}
}

// Register registers the Qdrant, Collections and Points services on g.
// Use Interceptor on g to check API keys.
func (s *Server) Register(g *grpc.Server) {
	pb.RegisterQdrantServer(g, qdrantService{s: s})
	pb.RegisterCollectionsServer(g, collectionsService{s: s})
	pb.RegisterPointsServer(g, pointsService{s: s})
}

// Interceptor returns the unary interceptor that checks APIKey.
func (s *Server) Interceptor() grpc.UnaryServerInterceptor { return s.auth }

func (s *Server) auth(ctx context.Context, req any, info *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
	s.mu.Lock()
	s.calls[info.FullMethod]++
	key := s.APIKey
	s.mu.Unlock()
	if key != "" {
		md, _ := metadata.FromIncomingContext(ctx)
		if got := md.Get("api-key"); len(got) != 1 || got[0] != key {
			return nil, status.Error(codes.PermissionDenied, "Invalid api-key")
		}
	}
	return h(ctx, req)
}

// Calls returns how many times the gRPC method (like
// "/qdrant.Points/Query") was called on a server run by Start.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// PointCount returns the number of points in a collection (0 if it does
// not exist).
func (s *Server) PointCount(name string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.cols[name]; c != nil {
		return len(c.points)
	}
	return 0
}

func (s *Server) col(name string) (*collection, error) {
	c := s.cols[name]
	if c == nil {
		return nil, status.Errorf(codes.NotFound, "Not found: Collection `%s` doesn't exist!", name)
	}
	return c, nil
}

func invalid(format string, args ...any) error {
	return status.Errorf(codes.InvalidArgument, "Wrong input: "+format, args...)
}

func unimplemented(what string) error {
	return status.Errorf(codes.Unimplemented, "qdranttest: %s is not implemented", what)
}

// ---- Qdrant service

type qdrantService struct {
	pb.UnimplementedQdrantServer
	s *Server
}

func (q qdrantService) HealthCheck(context.Context, *pb.HealthCheckRequest) (*pb.HealthCheckReply, error) {
	return &pb.HealthCheckReply{Title: "qdranttest", Version: Version}, nil
}

// ---- Collections service

type collectionsService struct {
	pb.UnimplementedCollectionsServer
	s *Server
}

func (c collectionsService) Create(_ context.Context, req *pb.CreateCollection) (*pb.CollectionOperationResponse, error) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if req.GetCollectionName() == "" {
		return nil, invalid("collection name is empty")
	}
	if s.cols[req.GetCollectionName()] != nil {
		return nil, status.Errorf(codes.AlreadyExists, "Wrong input: Collection `%s` already exists!", req.GetCollectionName())
	}
	col := &collection{dense: map[string]*pb.VectorParams{}, sparse: map[string]*pb.SparseVectorParams{}, schema: map[string]*pb.PayloadSchemaInfo{}, points: map[string]*point{}}
	switch v := req.GetVectorsConfig().GetConfig().(type) {
	case nil:
	case *pb.VectorsConfig_Params:
		col.dense[""] = v.Params
	case *pb.VectorsConfig_ParamsMap:
		maps.Copy(col.dense, v.ParamsMap.GetMap())
	}
	for name, p := range col.dense {
		if p.GetSize() == 0 {
			return nil, invalid("vector %q: size must be positive", name)
		}
		if p.GetMultivectorConfig() != nil {
			return nil, unimplemented("multivectors")
		}
		switch p.GetDistance() {
		case pb.Distance_Cosine, pb.Distance_Dot, pb.Distance_Euclid:
		default:
			return nil, unimplemented("distance " + p.GetDistance().String())
		}
	}
	for name, p := range req.GetSparseVectorsConfig().GetMap() {
		if col.dense[name] != nil {
			return nil, invalid("vector name %q is both dense and sparse", name)
		}
		col.sparse[name] = p
	}
	s.cols[req.GetCollectionName()] = col
	return &pb.CollectionOperationResponse{Result: true}, nil
}

func (c collectionsService) Get(_ context.Context, req *pb.GetCollectionInfoRequest) (*pb.GetCollectionInfoResponse, error) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	col, err := s.col(req.GetCollectionName())
	if err != nil {
		return nil, err
	}
	params := &pb.CollectionParams{ShardNumber: 1, SparseVectorsConfig: &pb.SparseVectorConfig{Map: map[string]*pb.SparseVectorParams{}}}
	if p, ok := col.dense[""]; ok {
		params.VectorsConfig = pb.NewVectorsConfig(proto.Clone(p).(*pb.VectorParams))
	} else {
		m := map[string]*pb.VectorParams{}
		for k, p := range col.dense {
			m[k] = proto.Clone(p).(*pb.VectorParams)
		}
		params.VectorsConfig = pb.NewVectorsConfigMap(m)
	}
	for k, p := range col.sparse {
		params.SparseVectorsConfig.Map[k] = proto.Clone(p).(*pb.SparseVectorParams)
	}
	schema := map[string]*pb.PayloadSchemaInfo{}
	for k, v := range col.schema {
		schema[k] = proto.Clone(v).(*pb.PayloadSchemaInfo)
	}
	n := uint64(len(col.points))
	return &pb.GetCollectionInfoResponse{Result: &pb.CollectionInfo{
		Status:          pb.CollectionStatus_Green,
		OptimizerStatus: &pb.OptimizerStatus{Ok: true},
		SegmentsCount:   1,
		Config:          &pb.CollectionConfig{Params: params},
		PayloadSchema:   schema,
		PointsCount:     &n,
	}}, nil
}

func (c collectionsService) List(context.Context, *pb.ListCollectionsRequest) (*pb.ListCollectionsResponse, error) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*pb.CollectionDescription
	for _, name := range slices.Sorted(maps.Keys(s.cols)) {
		out = append(out, &pb.CollectionDescription{Name: name})
	}
	return &pb.ListCollectionsResponse{Collections: out}, nil
}

func (c collectionsService) Delete(_ context.Context, req *pb.DeleteCollection) (*pb.CollectionOperationResponse, error) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.cols[req.GetCollectionName()]
	delete(s.cols, req.GetCollectionName())
	return &pb.CollectionOperationResponse{Result: ok}, nil
}

func (c collectionsService) CollectionExists(_ context.Context, req *pb.CollectionExistsRequest) (*pb.CollectionExistsResponse, error) {
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	return &pb.CollectionExistsResponse{Result: &pb.CollectionExists{Exists: s.cols[req.GetCollectionName()] != nil}}, nil
}

// ---- Points service

type pointsService struct {
	pb.UnimplementedPointsServer
	s *Server
}

func done(col *collection) *pb.PointsOperationResponse {
	col.version++
	v := col.version
	return &pb.PointsOperationResponse{Result: &pb.UpdateResult{OperationId: &v, Status: pb.UpdateStatus_Completed}}
}

func (p pointsService) CreateFieldIndex(_ context.Context, req *pb.CreateFieldIndexCollection) (*pb.PointsOperationResponse, error) {
	s := p.s
	s.mu.Lock()
	defer s.mu.Unlock()
	col, err := s.col(req.GetCollectionName())
	if err != nil {
		return nil, err
	}
	if req.GetFieldName() == "" {
		return nil, invalid("field name is empty")
	}
	var typ pb.PayloadSchemaType
	switch req.GetFieldType() {
	case pb.FieldType_FieldTypeKeyword:
		typ = pb.PayloadSchemaType_Keyword
	case pb.FieldType_FieldTypeInteger:
		typ = pb.PayloadSchemaType_Integer
	case pb.FieldType_FieldTypeBool:
		typ = pb.PayloadSchemaType_Bool
	default:
		return nil, unimplemented("field type " + req.GetFieldType().String())
	}
	info := &pb.PayloadSchemaInfo{DataType: typ}
	if req.FieldIndexParams != nil {
		info.Params = proto.Clone(req.FieldIndexParams).(*pb.PayloadIndexParams)
	}
	col.schema[req.GetFieldName()] = info
	return done(col), nil
}

func idKey(id *pb.PointId) (string, error) {
	switch v := id.GetPointIdOptions().(type) {
	case *pb.PointId_Num:
		return fmt.Sprintf("0:%020d", v.Num), nil
	case *pb.PointId_Uuid:
		u, err := parseUUID(v.Uuid)
		if err != nil {
			return "", invalid("Unable to parse UUID: %s", v.Uuid)
		}
		return "1:" + u, nil
	}
	return "", invalid("point id is missing")
}

// parseUUID returns the canonical lower-case form of a UUID.
func parseUUID(s string) (string, error) {
	var hex []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f':
			hex = append(hex, c)
		case c >= 'A' && c <= 'F':
			hex = append(hex, c+'a'-'A')
		case c == '-':
		default:
			return "", fmt.Errorf("bad uuid")
		}
	}
	if len(hex) != 32 {
		return "", fmt.Errorf("bad uuid")
	}
	h := string(hex)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
}

func canonicalID(id *pb.PointId) *pb.PointId {
	if u, ok := id.GetPointIdOptions().(*pb.PointId_Uuid); ok {
		c, _ := parseUUID(u.Uuid)
		return pb.NewIDUUID(c)
	}
	return pb.NewIDNum(id.GetNum())
}

func (p pointsService) Upsert(_ context.Context, req *pb.UpsertPoints) (*pb.PointsOperationResponse, error) {
	s := p.s
	s.mu.Lock()
	defer s.mu.Unlock()
	col, err := s.col(req.GetCollectionName())
	if err != nil {
		return nil, err
	}
	if req.UpdateFilter != nil || req.ShardKeySelector != nil {
		return nil, unimplemented("conditional or sharded upsert")
	}
	staged := map[string]*point{}
	for _, ps := range req.GetPoints() {
		k, err := idKey(ps.GetId())
		if err != nil {
			return nil, err
		}
		pt := &point{id: canonicalID(ps.GetId()), payload: map[string]*pb.Value{}, dense: map[string][]float32{}, sparse: map[string]sparseVec{}}
		for key, v := range ps.GetPayload() {
			pt.payload[key] = proto.Clone(v).(*pb.Value)
		}
		named := map[string]*pb.Vector{}
		switch v := ps.GetVectors().GetVectorsOptions().(type) {
		case nil:
		case *pb.Vectors_Vector:
			named[""] = v.Vector
		case *pb.Vectors_Vectors:
			maps.Copy(named, v.Vectors.GetVectors())
		}
		for name, vec := range named {
			if err := col.setVector(pt, name, vec); err != nil {
				return nil, err
			}
		}
		staged[k] = pt
	}
	maps.Copy(col.points, staged)
	return done(col), nil
}

// setVector validates vec against the collection's vector name and stores
// it in pt.
func (col *collection) setVector(pt *point, name string, vec *pb.Vector) error {
	var data []float32
	var idx []uint32
	sparse := false
	switch v := vec.GetVector().(type) {
	case *pb.Vector_Dense:
		data = v.Dense.GetData()
	case *pb.Vector_Sparse:
		data, idx, sparse = v.Sparse.GetValues(), v.Sparse.GetIndices(), true
	case nil:
		data = vec.GetData() //nolint:staticcheck // the deprecated form is still sent by old clients
		if vec.GetIndices() != nil {
			idx, sparse = vec.GetIndices().GetData(), true
		}
	default:
		return unimplemented("this vector kind")
	}
	if dp, ok := col.dense[name]; ok {
		if sparse {
			return invalid("vector %q is dense, got a sparse vector", name)
		}
		if uint64(len(data)) != dp.GetSize() {
			return invalid("Vector dimension error: expected dim: %d, got %d", dp.GetSize(), len(data))
		}
		pt.dense[name] = prepare(dp.GetDistance(), data)
		return nil
	}
	if _, ok := col.sparse[name]; ok {
		if !sparse {
			return invalid("vector %q is sparse, got a dense vector", name)
		}
		if len(idx) != len(data) {
			return invalid("Sparse vector %q: %d indices, %d values", name, len(idx), len(data))
		}
		sv := sparseVec{idx: slices.Clone(idx), val: slices.Clone(data)}
		seen := map[uint32]bool{}
		for _, i := range idx {
			if seen[i] {
				return invalid("Sparse vector %q: duplicate index %d", name, i)
			}
			seen[i] = true
		}
		pt.sparse[name] = sv
		return nil
	}
	return invalid("Not existing vector name error: %s", name)
}

// prepare copies a dense vector, normalising it for the cosine distance as
// Qdrant does on insert.
func prepare(d pb.Distance, v []float32) []float32 {
	out := slices.Clone(v)
	if d != pb.Distance_Cosine {
		return out
	}
	var n float64
	for _, x := range out {
		n += float64(x) * float64(x)
	}
	if n == 0 {
		return out
	}
	inv := 1 / math.Sqrt(n)
	for i := range out {
		out[i] = float32(float64(out[i]) * inv)
	}
	return out
}

func (p pointsService) Delete(_ context.Context, req *pb.DeletePoints) (*pb.PointsOperationResponse, error) {
	s := p.s
	s.mu.Lock()
	defer s.mu.Unlock()
	col, err := s.col(req.GetCollectionName())
	if err != nil {
		return nil, err
	}
	switch sel := req.GetPoints().GetPointsSelectorOneOf().(type) {
	case *pb.PointsSelector_Points:
		for _, id := range sel.Points.GetIds() {
			k, err := idKey(id)
			if err != nil {
				return nil, err
			}
			delete(col.points, k)
		}
	case *pb.PointsSelector_Filter:
		var drop []string
		for k, pt := range col.points {
			ok, err := match(sel.Filter, pt)
			if err != nil {
				return nil, err
			}
			if ok {
				drop = append(drop, k)
			}
		}
		for _, k := range drop {
			delete(col.points, k)
		}
	default:
		return nil, invalid("points selector is missing")
	}
	return done(col), nil
}

func (p pointsService) Count(_ context.Context, req *pb.CountPoints) (*pb.CountResponse, error) {
	s := p.s
	s.mu.Lock()
	defer s.mu.Unlock()
	col, err := s.col(req.GetCollectionName())
	if err != nil {
		return nil, err
	}
	var n uint64
	for _, pt := range col.points {
		ok, err := match(req.GetFilter(), pt)
		if err != nil {
			return nil, err
		}
		if ok {
			n++
		}
	}
	return &pb.CountResponse{Result: &pb.CountResult{Count: n}}, nil
}

func (p pointsService) Scroll(_ context.Context, req *pb.ScrollPoints) (*pb.ScrollResponse, error) {
	s := p.s
	s.mu.Lock()
	defer s.mu.Unlock()
	col, err := s.col(req.GetCollectionName())
	if err != nil {
		return nil, err
	}
	if req.OrderBy != nil {
		return nil, unimplemented("scroll order_by")
	}
	limit := 10
	if req.Limit != nil {
		limit = int(req.GetLimit())
	}
	from := ""
	if req.Offset != nil {
		if from, err = idKey(req.GetOffset()); err != nil {
			return nil, err
		}
	}
	resp := &pb.ScrollResponse{}
	for _, k := range slices.Sorted(maps.Keys(col.points)) {
		if k < from {
			continue
		}
		pt := col.points[k]
		ok, err := match(req.GetFilter(), pt)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if len(resp.Result) == limit {
			resp.NextPageOffset = pt.id
			break
		}
		resp.Result = append(resp.Result, &pb.RetrievedPoint{
			Id:      pt.id,
			Payload: selectPayload(req.GetWithPayload(), pt.payload),
			Vectors: selectVectors(req.GetWithVectors(), pt),
		})
	}
	return resp, nil
}

func selectPayload(sel *pb.WithPayloadSelector, payload map[string]*pb.Value) map[string]*pb.Value {
	out := map[string]*pb.Value{}
	switch v := sel.GetSelectorOptions().(type) {
	case *pb.WithPayloadSelector_Enable:
		if v.Enable {
			for k, x := range payload {
				out[k] = proto.Clone(x).(*pb.Value)
			}
		}
	case *pb.WithPayloadSelector_Include:
		for _, k := range v.Include.GetFields() {
			if x, ok := payload[k]; ok {
				out[k] = proto.Clone(x).(*pb.Value)
			}
		}
	case *pb.WithPayloadSelector_Exclude:
		for k, x := range payload {
			if !slices.Contains(v.Exclude.GetFields(), k) {
				out[k] = proto.Clone(x).(*pb.Value)
			}
		}
	}
	return out
}

func selectVectors(sel *pb.WithVectorsSelector, pt *point) *pb.VectorsOutput {
	want := func(string) bool { return false }
	switch v := sel.GetSelectorOptions().(type) {
	case *pb.WithVectorsSelector_Enable:
		want = func(string) bool { return v.Enable }
	case *pb.WithVectorsSelector_Include:
		want = func(n string) bool { return slices.Contains(v.Include.GetNames(), n) }
	}
	m := map[string]*pb.VectorOutput{}
	for name, d := range pt.dense {
		if want(name) {
			m[name] = &pb.VectorOutput{Vector: &pb.VectorOutput_Dense{Dense: &pb.DenseVector{Data: slices.Clone(d)}}}
		}
	}
	for name, sv := range pt.sparse {
		if want(name) {
			m[name] = &pb.VectorOutput{Vector: &pb.VectorOutput_Sparse{Sparse: &pb.SparseVector{Indices: slices.Clone(sv.idx), Values: slices.Clone(sv.val)}}}
		}
	}
	if len(m) == 0 {
		return nil
	}
	return &pb.VectorsOutput{VectorsOptions: &pb.VectorsOutput_Vectors{Vectors: &pb.NamedVectorsOutput{Vectors: m}}}
}

func (p pointsService) Query(_ context.Context, req *pb.QueryPoints) (*pb.QueryResponse, error) {
	s := p.s
	s.mu.Lock()
	defer s.mu.Unlock()
	col, err := s.col(req.GetCollectionName())
	if err != nil {
		return nil, err
	}
	res, err := col.query(req)
	if err != nil {
		return nil, err
	}
	return &pb.QueryResponse{Result: res}, nil
}

func (p pointsService) QueryBatch(_ context.Context, req *pb.QueryBatchPoints) (*pb.QueryBatchResponse, error) {
	s := p.s
	s.mu.Lock()
	defer s.mu.Unlock()
	col, err := s.col(req.GetCollectionName())
	if err != nil {
		return nil, err
	}
	resp := &pb.QueryBatchResponse{}
	for _, q := range req.GetQueryPoints() {
		if q.GetCollectionName() != "" && q.GetCollectionName() != req.GetCollectionName() {
			return nil, invalid("batch query on collection %q inside a batch on %q", q.GetCollectionName(), req.GetCollectionName())
		}
		res, err := col.query(q)
		if err != nil {
			return nil, err
		}
		resp.Result = append(resp.Result, &pb.BatchResult{Result: res})
	}
	return resp, nil
}

// scored is one candidate of a query stage.
type scored struct {
	key   string
	pt    *point
	score float64
}

func (col *collection) query(req *pb.QueryPoints) ([]*pb.ScoredPoint, error) {
	if req.LookupFrom != nil || req.ShardKeySelector != nil {
		return nil, unimplemented("lookup_from and shard keys")
	}
	limit := uint64(10)
	if req.Limit != nil {
		limit = req.GetLimit()
	}
	list, err := col.stage(req.GetPrefetch(), req.Query, req.GetUsing(), req.GetFilter(), limit+req.GetOffset(), req.ScoreThreshold)
	if err != nil {
		return nil, err
	}
	off := min(int(req.GetOffset()), len(list))
	list = list[off:]
	out := make([]*pb.ScoredPoint, len(list))
	for i, x := range list {
		out[i] = &pb.ScoredPoint{
			Id:      x.pt.id,
			Score:   float32(x.score),
			Payload: selectPayload(req.GetWithPayload(), x.pt.payload),
			Vectors: selectVectors(req.GetWithVectors(), x.pt),
		}
	}
	return out, nil
}

// stage runs one level of the universal query: its prefetches (which
// inherit filter), then query over their union, or over the whole
// collection when there are none.
func (col *collection) stage(prefetch []*pb.PrefetchQuery, q *pb.Query, using string, filter *pb.Filter, limit uint64, threshold *float32) ([]scored, error) {
	var legs [][]scored
	for _, p := range prefetch {
		f := filter
		if p.Filter != nil {
			f = and(filter, p.GetFilter())
		}
		pl := uint64(10)
		if p.Limit != nil {
			pl = p.GetLimit()
		}
		leg, err := col.stage(p.GetPrefetch(), p.Query, p.GetUsing(), f, pl, p.ScoreThreshold)
		if err != nil {
			return nil, err
		}
		legs = append(legs, leg)
	}

	var out []scored
	switch v := q.GetVariant().(type) {
	case nil:
		if len(legs) != 1 {
			return nil, invalid("a query is needed to combine %d prefetches", len(legs))
		}
		out = legs[0]
	case *pb.Query_Fusion:
		if v.Fusion != pb.Fusion_RRF {
			return nil, unimplemented("fusion " + v.Fusion.String())
		}
		out = rrf(legs, 2, nil)
	case *pb.Query_Rrf:
		k := 2
		if v.Rrf.K != nil {
			k = int(v.Rrf.GetK())
		}
		if w := v.Rrf.GetWeights(); len(w) > 0 && len(w) != len(legs) {
			return nil, invalid("RRF has %d weights for %d prefetches", len(w), len(legs))
		}
		out = rrf(legs, k, v.Rrf.GetWeights())
	case *pb.Query_Nearest:
		var cands []*point
		if len(prefetch) > 0 {
			seen := map[*point]bool{}
			for _, leg := range legs {
				for _, x := range leg {
					if !seen[x.pt] {
						seen[x.pt] = true
						cands = append(cands, x.pt)
					}
				}
			}
		} else {
			for _, pt := range col.points {
				ok, err := match(filter, pt)
				if err != nil {
					return nil, err
				}
				if ok {
					cands = append(cands, pt)
				}
			}
		}
		var err error
		if out, err = col.nearest(v.Nearest, using, cands, threshold); err != nil {
			return nil, err
		}
	default:
		return nil, unimplemented(fmt.Sprintf("query %T", v))
	}
	if uint64(len(out)) > limit {
		out = out[:limit]
	}
	return out, nil
}

func and(a, b *pb.Filter) *pb.Filter {
	if a == nil {
		return b
	}
	return &pb.Filter{Must: []*pb.Condition{pb.NewFilterAsCondition(a), pb.NewFilterAsCondition(b)}}
}

func sortScored(list []scored) {
	slices.SortFunc(list, func(a, b scored) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.key, b.key))
	})
}

// rrf fuses ranked lists the way Qdrant does: a point at 0-based position
// p of a list with weight w gets 1/((p+1)/w + k - 1).
func rrf(legs [][]scored, k int, weights []float32) []scored {
	sum := map[*point]float64{}
	for i, leg := range legs {
		w := 1.0
		if len(weights) > 0 {
			w = float64(weights[i])
		}
		for p, x := range leg {
			sum[x.pt] += 1 / (float64(p+1)/w + float64(k) - 1)
		}
	}
	out := make([]scored, 0, len(sum))
	for pt, s := range sum {
		k, _ := idKey(pt.id)
		out = append(out, scored{key: k, pt: pt, score: s})
	}
	sortScored(out)
	return out
}

func (col *collection) nearest(in *pb.VectorInput, using string, cands []*point, threshold *float32) ([]scored, error) {
	var out []scored
	add := func(pt *point, s float64) {
		if threshold != nil && s < float64(*threshold) {
			return
		}
		k, _ := idKey(pt.id)
		out = append(out, scored{key: k, pt: pt, score: s})
	}
	switch v := in.GetVariant().(type) {
	case *pb.VectorInput_Dense:
		dp, ok := col.dense[using]
		if !ok {
			return nil, invalid("Not existing vector name error: %s", using)
		}
		q := v.Dense.GetData()
		if uint64(len(q)) != dp.GetSize() {
			return nil, invalid("Vector dimension error: expected dim: %d, got %d", dp.GetSize(), len(q))
		}
		q = prepare(dp.GetDistance(), q)
		for _, pt := range cands {
			d, ok := pt.dense[using]
			if !ok {
				continue
			}
			var s float64
			switch dp.GetDistance() {
			case pb.Distance_Euclid:
				for i := range q {
					diff := float64(q[i]) - float64(d[i])
					s += diff * diff
				}
				s = -math.Sqrt(s)
			default:
				for i := range q {
					s += float64(q[i]) * float64(d[i])
				}
			}
			add(pt, s)
		}
	case *pb.VectorInput_Sparse:
		sp, ok := col.sparse[using]
		if !ok {
			return nil, invalid("Not existing vector name error: %s", using)
		}
		idx, val := v.Sparse.GetIndices(), v.Sparse.GetValues()
		if len(idx) != len(val) {
			return nil, invalid("sparse query: %d indices, %d values", len(idx), len(val))
		}
		q := map[uint32]float64{}
		for i, ix := range idx {
			q[ix] += float64(val[i])
		}
		if sp.GetModifier() == pb.Modifier_Idf {
			// IDF over the whole collection, as Qdrant computes it:
			// ln(1 + (N - n + 0.5) / (n + 0.5)).
			var n float64
			df := map[uint32]float64{}
			for _, pt := range col.points {
				sv, ok := pt.sparse[using]
				if !ok {
					continue
				}
				n++
				for _, ix := range sv.idx {
					if _, ok := q[ix]; ok {
						df[ix]++
					}
				}
			}
			for ix := range q {
				q[ix] *= math.Log(1 + (n-df[ix]+0.5)/(df[ix]+0.5))
			}
		}
		for _, pt := range cands {
			sv, ok := pt.sparse[using]
			if !ok {
				continue
			}
			var s float64
			overlap := false
			for i, ix := range sv.idx {
				if w, ok := q[ix]; ok {
					overlap = true
					s += w * float64(sv.val[i])
				}
			}
			if overlap {
				add(pt, s)
			}
		}
	default:
		return nil, unimplemented(fmt.Sprintf("nearest %T", v))
	}
	sortScored(out)
	return out, nil
}

// match reports whether pt passes f (a nil filter passes everything).
func match(f *pb.Filter, pt *point) (bool, error) {
	if f == nil {
		return true, nil
	}
	for _, c := range f.GetMust() {
		ok, err := cond(c, pt)
		if err != nil || !ok {
			return false, err
		}
	}
	for _, c := range f.GetMustNot() {
		ok, err := cond(c, pt)
		if err != nil || ok {
			return false, err
		}
	}
	if len(f.GetShould()) > 0 {
		hit := false
		for _, c := range f.GetShould() {
			ok, err := cond(c, pt)
			if err != nil {
				return false, err
			}
			hit = hit || ok
		}
		if !hit {
			return false, nil
		}
	}
	if ms := f.GetMinShould(); ms != nil {
		n := uint64(0)
		for _, c := range ms.GetConditions() {
			ok, err := cond(c, pt)
			if err != nil {
				return false, err
			}
			if ok {
				n++
			}
		}
		if n < ms.GetMinCount() {
			return false, nil
		}
	}
	return true, nil
}

func cond(c *pb.Condition, pt *point) (bool, error) {
	switch v := c.GetConditionOneOf().(type) {
	case *pb.Condition_Filter:
		return match(v.Filter, pt)
	case *pb.Condition_HasId:
		k, _ := idKey(pt.id)
		for _, id := range v.HasId.GetHasId() {
			if ik, err := idKey(id); err == nil && ik == k {
				return true, nil
			}
		}
		return false, nil
	case *pb.Condition_IsEmpty:
		x, ok := pt.payload[v.IsEmpty.GetKey()]
		return !ok || isNull(x) || isEmptyList(x), nil
	case *pb.Condition_IsNull:
		x, ok := pt.payload[v.IsNull.GetKey()]
		return ok && isNull(x), nil
	case *pb.Condition_Field:
		return field(v.Field, pt)
	}
	return false, unimplemented(fmt.Sprintf("condition %T", c.GetConditionOneOf()))
}

func isNull(x *pb.Value) bool {
	_, ok := x.GetKind().(*pb.Value_NullValue)
	return ok
}

func isEmptyList(x *pb.Value) bool {
	l, ok := x.GetKind().(*pb.Value_ListValue)
	return ok && len(l.ListValue.GetValues()) == 0
}

// field evaluates a match on a payload field; a list value matches when
// any element does.
func field(fc *pb.FieldCondition, pt *point) (bool, error) {
	if fc.GetRange() != nil || fc.GetGeoBoundingBox() != nil || fc.GetGeoRadius() != nil || fc.GetGeoPolygon() != nil ||
		fc.GetValuesCount() != nil || fc.GetDatetimeRange() != nil || fc.IsEmpty != nil || fc.IsNull != nil {
		return false, unimplemented("field condition other than match")
	}
	x, ok := pt.payload[fc.GetKey()]
	if !ok {
		switch fc.GetMatch().GetMatchValue().(type) {
		case *pb.Match_ExceptKeywords, *pb.Match_ExceptIntegers:
			return true, nil
		}
		return false, nil
	}
	values := []*pb.Value{x}
	if l, ok := x.GetKind().(*pb.Value_ListValue); ok {
		values = l.ListValue.GetValues()
	}
	anyOf := func(pred func(*pb.Value) bool) bool { return slices.ContainsFunc(values, pred) }
	str := func(v *pb.Value) (string, bool) {
		s, ok := v.GetKind().(*pb.Value_StringValue)
		if !ok {
			return "", false
		}
		return s.StringValue, true
	}
	num := func(v *pb.Value) (int64, bool) {
		n, ok := v.GetKind().(*pb.Value_IntegerValue)
		if !ok {
			return 0, false
		}
		return n.IntegerValue, true
	}
	switch m := fc.GetMatch().GetMatchValue().(type) {
	case *pb.Match_Keyword:
		return anyOf(func(v *pb.Value) bool { s, ok := str(v); return ok && s == m.Keyword }), nil
	case *pb.Match_Keywords:
		return anyOf(func(v *pb.Value) bool { s, ok := str(v); return ok && slices.Contains(m.Keywords.GetStrings(), s) }), nil
	case *pb.Match_ExceptKeywords:
		return !anyOf(func(v *pb.Value) bool {
			s, ok := str(v)
			return ok && slices.Contains(m.ExceptKeywords.GetStrings(), s)
		}), nil
	case *pb.Match_Integer:
		return anyOf(func(v *pb.Value) bool { n, ok := num(v); return ok && n == m.Integer }), nil
	case *pb.Match_Integers:
		return anyOf(func(v *pb.Value) bool { n, ok := num(v); return ok && slices.Contains(m.Integers.GetIntegers(), n) }), nil
	case *pb.Match_ExceptIntegers:
		return !anyOf(func(v *pb.Value) bool {
			n, ok := num(v)
			return ok && slices.Contains(m.ExceptIntegers.GetIntegers(), n)
		}), nil
	case *pb.Match_Boolean:
		return anyOf(func(v *pb.Value) bool {
			b, ok := v.GetKind().(*pb.Value_BoolValue)
			return ok && b.BoolValue == m.Boolean
		}), nil
	}
	return false, unimplemented(fmt.Sprintf("match %T", fc.GetMatch().GetMatchValue()))
}
