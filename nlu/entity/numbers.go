package entity

import "strings"

// keyword is a word that, written before a number, says what it is.
type keyword struct {
	word     string // lower case
	tracking bool   // a carrier or waybill word; else an order word
	min, max int    // digits a numeric tracking number of this carrier has
}

// keywords are matched against the lower-cased text before a digit run;
// the nearest one decides.
var keywords = []keyword{
	{"订单", false, 0, 0}, {"order", false, 0, 0},
	{"快递", true, 10, 22}, {"运单", true, 10, 22}, {"物流", true, 10, 22}, {"包裹", true, 10, 22},
	{"tracking", true, 10, 22}, {"waybill", true, 10, 22}, {"parcel", true, 10, 22},
	{"package", true, 10, 22}, {"shipment", true, 10, 22}, {"courier", true, 10, 22},
	{"顺丰", true, 12, 15}, {"sf express", true, 12, 15},
	{"中通", true, 12, 15}, {"zto", true, 12, 15},
	{"圆通", true, 10, 15}, {"yto", true, 10, 15},
	{"申通", true, 12, 15}, {"sto", true, 12, 15},
	{"韵达", true, 13, 15}, {"yunda", true, 13, 15},
	{"邮政", true, 13, 13}, {"china post", true, 13, 13}, {"ems", true, 13, 13},
	{"京东", true, 10, 15}, {"极兔", true, 12, 15}, {"j&t", true, 12, 15}, {"百世", true, 12, 15},
	{"fedex", true, 12, 15}, {"dhl", true, 10, 11}, {"usps", true, 20, 22}, {"ups", true, 10, 22},
}

// contextBefore returns the keyword nearest before s[start], looking back
// at most 48 bytes, and whether there is one.
func contextBefore(s string, start int) (keyword, bool) {
	from := max(0, start-48)
	var buf [48]byte
	w := buf[:0]
	for i := from; i < start; i++ {
		w = append(w, lower(s[i]))
	}
	win := string(w)
	best, bestEnd := keyword{}, -1
	for _, k := range keywords {
		if i := lastWord(win, k.word); i >= 0 && i+len(k.word) > bestEnd {
			best, bestEnd = k, i+len(k.word)
		}
	}
	return best, bestEnd >= 0
}

// lastWord returns the index of the last occurrence of word in s that is
// not inside a longer ASCII word ("ems" is not in "items"; "order" may be
// in "orders"), or -1.
func lastWord(s, word string) int {
	ascii := isLetter(word[0])
	for end := len(s); ; {
		i := strings.LastIndex(s[:end], word)
		if i < 0 || !ascii {
			return i
		}
		j := i + len(word)
		if (i == 0 || !isLetter(s[i-1])) && (len(word) > 4 || j == len(s) || !isLetter(s[j])) {
			return i
		}
		end = i
	}
}

// numbers finds order ids and tracking numbers: runs of ASCII letters and
// digits, and "#" + digits.
func (e *Extractor) numbers(s string, blocked []span, add func(typ string, start, end int, value string)) {
	orders, tracking := !e.replaced[OrderID], !e.replaced[TrackingNumber]
	if !orders && !tracking {
		return
	}
	for i := 0; i < len(s); {
		if !isAlnum(s[i]) {
			i++
			continue
		}
		start := i
		digits, letters := 0, 0
		for i < len(s) && isAlnum(s[i]) {
			if isDigit(s[i]) {
				digits++
			} else {
				letters++
			}
			i++
		}
		if digits < 5 {
			continue
		}
		run := s[start:i]
		if letters > 0 {
			if tracking {
				if isCarrierNumber(run) {
					add(TrackingNumber, start, i, normalise(TrackingNumber, run))
					continue
				}
			}
			if orders && len(run) >= 7 && lower(run[0]) == 'd' && lower(run[1]) == 'd' && allDigits(run[2:]) && len(run)-2 <= 20 {
				add(OrderID, start, i, normalise(OrderID, run))
			}
			continue
		}
		if isBlocked(blocked, start, i) {
			continue
		}
		if start > 0 && s[start-1] == '#' {
			if orders && digits <= 20 {
				add(OrderID, start-1, i, run)
			}
			continue
		}
		if digits < 10 || digits > 22 {
			continue
		}
		k, ok := contextBefore(s, start)
		switch {
		case tracking && ok && k.tracking && digits >= k.min && digits <= k.max:
			add(TrackingNumber, start, i, run)
		case tracking && digits >= 21 && run[0] == '9':
			add(TrackingNumber, start, i, run) // USPS
		case orders && digits <= 20:
			add(OrderID, start, i, run)
		}
	}
}

func isBlocked(blocked []span, start, end int) bool {
	for _, b := range blocked {
		if b.overlaps(start, end) {
			return true
		}
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return len(s) > 0
}

// isCarrierNumber reports whether the letters-and-digits run is a tracking
// number of a form that names its carrier.
func isCarrierNumber(run string) bool {
	n := len(run)
	p0, p1 := lower(run[0]), lower(run[1%n])
	switch {
	case p0 == 's' && p1 == 'f': // SF Express
		return n >= 14 && n <= 17 && allDigits(run[2:])
	case p0 == 'j' && p1 == 'd': // JD Logistics: JD, JDV, JDVA, JDX… + digits
		k := 2
		for k < n && k < 4 && isLetter(run[k]) {
			k++
		}
		return n-k >= 9 && n-k <= 15 && allDigits(run[k:])
	case p0 == 'y' && p1 == 't': // YTO
		return n >= 15 && n <= 17 && allDigits(run[2:])
	case p0 == '1' && p1 == 'z': // UPS
		return n == 18
	case n == 13 && isLetter(run[0]) && isLetter(run[1]) && isLetter(run[11]) && isLetter(run[12]) && allDigits(run[2:11]):
		return s10Valid(run[2:11])
	}
	return false
}

// s10Valid checks the UPU S10 check digit: the ninth digit of d against
// the first eight.
func s10Valid(d string) bool {
	weights := [8]int{8, 6, 4, 2, 3, 5, 9, 7}
	sum := 0
	for i, w := range weights {
		sum += int(d[i]-'0') * w
	}
	c := 11 - sum%11
	switch c {
	case 10:
		c = 0
	case 11:
		c = 5
	}
	return int(d[8]-'0') == c
}
