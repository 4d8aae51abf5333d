package reliability

import (
	"context"
	"testing"

	"github.com/crossplane/function-sdk-go/logging"

	"github.com/agentops-io/agentops/fn"
)

// BenchmarkRunFunction is the cost of one call for each example, in
// process: the numbers behind any claim of the function's speed.
func BenchmarkRunFunction(b *testing.B) {
	f := fn.NewFunction(logging.NewNopLogger())
	for _, e := range examples(b) {
		req := leakyRequest(b, e, "sk-bench")
		b.Run(e.Name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := f.RunFunction(context.Background(), req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
