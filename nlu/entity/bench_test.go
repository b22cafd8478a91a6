package entity

import "testing"

var benchZH = []string{
	"你好，我的订单2026110312345678昨天就付款了，到现在还没发货，能帮我催一下吗",
	"顺丰单号SF1234567890123显示已签收但是我没收到，手机13812345678",
	"这件长款羽绒服有XL码吗？什么时候补货",
	"上周五买的，差价三百五十元能退吗",
}

var benchEN = []string{
	"Hi, I ordered a down jacket last Monday (order #88812345) and it still hasn't shipped",
	"Where is my parcel? Tracking 1Z999AA10123456784, I paid $49.99 for express",
	"Can I change the delivery address? my email is li.wei@example.com",
	"do you have the airpods pro 2 in stock",
}

func benchmarkExtract(b *testing.B, msgs []string) {
	e := newExtractor(b, Config{Catalogue: catalogueItems})
	n := 0
	for _, m := range msgs {
		n += len(m)
	}
	b.SetBytes(int64(n / len(msgs)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		_ = e.ExtractAt(msgs[i%len(msgs)], ref)
	}
}

// BenchmarkExtract measures one typical message (the budget is 30 µs).
func BenchmarkExtract(b *testing.B) {
	b.Run("zh", func(b *testing.B) { benchmarkExtract(b, benchZH) })
	b.Run("en", func(b *testing.B) { benchmarkExtract(b, benchEN) })
}
