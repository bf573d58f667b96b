// Package ecsemu is an embedded Alibaba Cloud ECS emulator: an http.Handler
// that speaks the ECS OpenAPI (2014-05-26) for the ENI operations and the
// look-ups around them, faithfully enough that the official SDK, pointed at
// it with Endpoint and Protocol "http", cannot tell it from the cloud.
//
// The protocol layer (this file, server.go, signature*.go, params.go,
// encode.go, faults.go, admin.go) authenticates calls with both of the
// cloud's signature schemes, rejects them with the cloud's error codes and
// renders JSON or XML. The modelled account (world*.go, seed.go,
// action_*.go) answers them. contract.go is the seam between the two.
package ecsemu

import (
	"log/slog"
	"net/http"
)

// The AccessKey pair the emulator accepts unless told otherwise. They are
// not secrets: the emulator guards nothing real.
const (
	DefaultAccessKeyID     = "LTAI5tEnidashEmulator"
	DefaultAccessKeySecret = "enidashEmulatorSecretNotForProduction"
)

// Config configures an Emulator. The zero value is a working emulator with
// the default AccessKey pair, default world and no faults.
type Config struct {
	// AccessKeyID and AccessKeySecret are the one pair the emulator accepts;
	// empty means DefaultAccessKeyID / DefaultAccessKeySecret.
	AccessKeyID, AccessKeySecret string
	World                        WorldConfig
	Faults                       Faults       // out-of-range values are clamped
	Logger                       *slog.Logger // nil discards
}

// Emulator is the ECS OpenAPI at "/" and the admin endpoint at
// "/_emulator/..." (see admin.go). It is safe for concurrent use.
type Emulator struct {
	world *World
	srv   *server
}

// faultSeed makes the sequence of injected faults the same on every run.
const faultSeed = 20140526

// New builds the modelled account and the protocol server around it.
func New(cfg Config) *Emulator {
	id, secret := cfg.AccessKeyID, cfg.AccessKeySecret
	if id == "" {
		id = DefaultAccessKeyID
	}
	if secret == "" {
		secret = DefaultAccessKeySecret
	}
	w := NewWorld(cfg.World)
	srv := newServer(id, secret, w.Actions(), serverOptions{
		logger:  cfg.Logger,
		seed:    faultSeed,
		onStuck: w.SetStuckTransitions,
	})
	srv.faults.set(cfg.Faults.clamped())
	return &Emulator{world: w, srv: srv}
}

// ServeHTTP answers ECS OpenAPI calls at "/" and admin requests under
// "/_emulator/".
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.srv.ServeHTTP(w, r)
}

// SetFaults replaces the injected faults; rates are clamped into [0,1] and
// a negative latency to zero.
func (e *Emulator) SetFaults(f Faults) { e.srv.faults.set(f.clamped()) }

// Faults returns the faults in force.
func (e *Emulator) Faults() Faults { return e.srv.faults.get() }

// AccessKey returns the AccessKey pair the emulator accepts.
func (e *Emulator) AccessKey() (id, secret string) {
	return e.srv.keys.id, e.srv.keys.secret
}

// Close stops the world's timers; call it when done with the emulator.
func (e *Emulator) Close() { e.world.Close() }
