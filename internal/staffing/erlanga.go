package staffing

import (
	"errors"
	"math"
)

// AResult is Erlang A's answer: M/M/N+M, where a waiting citizen gives up after an exponentially
// distributed patience (mean Patience seconds). Unlike Erlang C it is stable at any load.
type AResult struct {
	Load       float64 // offered load A in Erlangs
	Windows    int
	PWait      float64 // share of arrivals who find every window busy
	PAbandon   float64 // share of arrivals who give up before being called
	ServiceLvl float64 // share of arrivals called within the target wait (those who give up first are not)
	MeanWait   float64 // seconds in the queue, over all arrivals (abandoning ones until they leave)
	Occupancy  float64 // share of the windows' time spent serving: A(1 − PAbandon)/N
}

// ErrTooLarge is returned when the queue's tail and the target wait would need more arithmetic
// than one answer may take (an overloaded hall of thousands with hours of patience).
var ErrTooLarge = errors.New("staffing: too large to compute")

// maxWork bounds queue states × uniformization steps of one answer (about 50 ms).
const maxWork = 2e7

// maxTail bounds the queue lengths summed beyond N; the tail decays faster than geometrically.
const maxTail = 100000

// ErlangA answers M/M/N+M for arrivals per hour, mean handling and mean patience in seconds, N
// windows and a target wait t. The birth–death chain (arrivals λ; departures μ·min(n, N) plus
// θ·(n−N)⁺ from the queue) is solved in log space, so large loads do not overflow; the share served
// within t follows each arrival's position in the queue through the stages ahead of it
// (uniformization of the tagged citizen's chain: served, gone, or one place further).
func ErlangA(arrivalsPerHour, handleSeconds, patienceSeconds float64, windows int, targetWait float64) (AResult, error) {
	if !valid(arrivalsPerHour) || !valid(handleSeconds) || handleSeconds == 0 || !valid(patienceSeconds) || patienceSeconds == 0 ||
		!valid(targetWait) || windows < 1 || windows > MaxWindows {
		return AResult{}, ErrInput
	}
	lambda := arrivalsPerHour / 3600
	mu, theta := 1/handleSeconds, 1/patienceSeconds
	n := windows
	r := AResult{Load: lambda * handleSeconds, Windows: n}
	if lambda == 0 {
		r.ServiceLvl = 1
		return r, nil
	}
	// log π_k up to a constant.
	logp := []float64{0}
	for k := 1; ; k++ {
		death := mu * float64(min(k, n))
		if k > n {
			death += theta * float64(k-n)
		}
		logp = append(logp, logp[k-1]+math.Log(lambda/death))
		if k > n && (logp[k] < logp[n]-40 || k-n > maxTail) { // e^-40: nothing left to count
			break
		}
	}
	top := math.Inf(-1)
	for _, l := range logp {
		top = math.Max(top, l)
	}
	p := make([]float64, len(logp))
	sum := 0.0
	for k, l := range logp {
		p[k] = math.Exp(l - top)
		sum += p[k]
	}
	queue := 0.0
	for k := range p {
		p[k] /= sum
		if k >= n {
			r.PWait += p[k]
			queue += float64(k-n) * p[k]
		}
	}
	r.PAbandon = theta * queue / lambda
	r.MeanWait = queue / lambda
	r.Occupancy = r.Load * (1 - r.PAbandon) / float64(n)
	states := len(p) - n
	lt := (float64(n)*mu + float64(states+1)*theta) * targetWait
	if float64(states)*(lt+12*math.Sqrt(lt)+30) > maxWork {
		return AResult{}, ErrTooLarge
	}
	served := servedWithin(states, float64(n)*mu, theta, targetWait)
	for k := range p {
		if k < n {
			r.ServiceLvl += p[k]
		} else {
			r.ServiceLvl += p[k] * served[k-n]
		}
	}
	return r, nil
}

// servedWithin[j] is the chance that a citizen arriving with j waiting ahead is called within t:
// from j ahead the next place comes at rate nmu + j·θ, and the citizen gives up at rate θ.
// Uniformization at rate Λ: u = Σ_m Poisson(Λt; m)·Pᵐ·[called], computed for every j at once.
func servedWithin(states int, nmu, theta, t float64) []float64 {
	out := make([]float64, states)
	if t == 0 {
		return out
	}
	big := nmu + float64(states)*theta + theta
	lt := big * t
	// v[j] after m steps: the chance to be called within m uniformized steps from j ahead.
	v := make([]float64, states)
	next := make([]float64, states)
	logw := -lt // log of the Poisson weight of m = 0
	limit := int(lt + 12*math.Sqrt(lt) + 30)
	for m := 0; m <= limit; m++ {
		w := math.Exp(logw)
		for j := range out {
			out[j] += w * v[j]
		}
		for j := range v {
			adv := (nmu + float64(j)*theta) / big
			stay := 1 - adv - theta/big
			ahead := 1.0 // j = 0: the next step calls the citizen
			if j > 0 {
				ahead = v[j-1]
			}
			next[j] = adv*ahead + stay*v[j]
		}
		v, next = next, v
		logw += math.Log(lt) - math.Log(float64(m+1))
	}
	return out // the Poisson weight beyond the limit is below 1e-30
}
