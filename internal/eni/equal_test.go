package eni

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// Equal says what reflect.DeepEqual says of the two ENIs once their times
// are in one location and their empty lists are nil, on pairs of random
// ENIs that differ in a few attributes or none. The ENIs are filled by
// reflection, so an attribute added to ENI and forgotten by Equal fails
// this test.
func TestEqualIsDeepEqual(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	same, differ := 0, 0
	for i := range 20000 {
		seed := rng.Uint64()
		var a, b ENI
		fill(reflect.ValueOf(&a).Elem(), rand.New(rand.NewPCG(seed, 0)))
		fill(reflect.ValueOf(&b).Elem(), rand.New(rand.NewPCG(seed, 0)))
		b.CreatedAt = b.CreatedAt.In(zones[rng.IntN(len(zones))])
		for range rng.IntN(3) {
			mutate(reflect.ValueOf(&b).Elem(), rng)
		}
		want := reflect.DeepEqual(normal(a), normal(b))
		if got := a.Equal(&b); got != want {
			t.Fatalf("pair %d: Equal says %t, DeepEqual %t\na: %+v\nb: %+v", i, got, want, a, b)
		}
		if got := b.Equal(&a); got != want {
			t.Fatalf("pair %d: b.Equal(a) says %t, DeepEqual %t", i, got, want)
		}
		if want {
			same++
		} else {
			differ++
		}
	}
	if same < 1000 || differ < 1000 {
		t.Fatalf("%d equal and %d different pairs: the test does not try both enough", same, differ)
	}
}

var zones = []*time.Location{time.UTC, time.FixedZone("CST", 8*3600), time.FixedZone("X", -3600)}

var instants = []time.Time{{}, time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC), time.Date(2024, 5, 1, 12, 0, 1, 0, time.UTC)}

// fill gives v random values from small sets, so that two fills often
// agree: nil, empty or short lists, nil or set pointers.
func fill(v reflect.Value, rng *rand.Rand) {
	if v.Type() == reflect.TypeFor[time.Time]() {
		v.Set(reflect.ValueOf(instants[rng.IntN(len(instants))].In(zones[rng.IntN(len(zones))])))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString([]string{"", "a", "b"}[rng.IntN(3)])
	case reflect.Bool:
		v.SetBool(rng.IntN(2) == 1)
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(rng.IntN(3)))
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), rng)
		}
	case reflect.Pointer:
		if rng.IntN(2) == 0 {
			v.SetZero()
			return
		}
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), rng)
		v.Set(p)
	case reflect.Slice:
		n := rng.IntN(4) - 1 // -1: nil
		if n < 0 {
			v.SetZero()
			return
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			fill(s.Index(i), rng)
		}
		v.Set(s)
	default:
		panic("fill: no random values for " + v.Type().String())
	}
}

// mutate gives one attribute of v, anywhere within it, a new random
// value (perhaps the same).
func mutate(v reflect.Value, rng *rand.Rand) {
	var spots []reflect.Value
	var walk func(reflect.Value)
	walk = func(v reflect.Value) {
		spots = append(spots, v)
		switch {
		case v.Type() == reflect.TypeFor[time.Time]():
		case v.Kind() == reflect.Struct:
			for i := range v.NumField() {
				walk(v.Field(i))
			}
		case v.Kind() == reflect.Pointer && !v.IsNil():
			walk(v.Elem())
		case v.Kind() == reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		}
	}
	walk(v)
	fill(spots[1+rng.IntN(len(spots)-1)], rng)
}

// normal is e with its time in UTC and its empty lists nil.
func normal(e ENI) ENI {
	e.CreatedAt = e.CreatedAt.UTC()
	v := reflect.ValueOf(&e).Elem()
	for i := range v.NumField() {
		if f := v.Field(i); f.Kind() == reflect.Slice && f.Len() == 0 {
			f.SetZero()
		}
	}
	return e
}

func BenchmarkEqual(b *testing.B) {
	e := ENI{ID: "eni-bp1", Name: "web-01", Status: StatusInUse, Type: TypeSecondary, RegionID: "cn-hangzhou",
		ZoneID: "cn-hangzhou-i", VpcID: "vpc-1", VSwitchID: "vsw-1", InstanceID: "i-1", MAC: "00:16:3e:00:00:01",
		PrimaryIP: "10.0.0.1", PrivateIPs: []PrivateIP{{Address: "10.0.0.1", Primary: true}, {Address: "10.0.0.2"}},
		SecurityGroups: []string{"sg-1"}, Tags: []Tag{{Key: "env", Value: "prod"}}, Attachment: &Attachment{InstanceID: "i-1", DeviceIndex: 1},
		CreatedAt: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)}
	o := e
	o.PrivateIPs = append([]PrivateIP(nil), e.PrivateIPs...)
	o.Attachment = &Attachment{InstanceID: "i-1", DeviceIndex: 1}
	b.Run("Equal", func(b *testing.B) {
		for b.Loop() {
			if !e.Equal(&o) {
				b.Fatal("not equal")
			}
		}
	})
	b.Run("DeepEqual", func(b *testing.B) {
		for b.Loop() {
			x, y := e, o
			x.CreatedAt, y.CreatedAt = time.Time{}, time.Time{}
			if !reflect.DeepEqual(x, y) {
				b.Fatal("not equal")
			}
		}
	})
}
