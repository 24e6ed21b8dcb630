package i18n

// messages: key -> {Simplified Chinese, English}; Traditional is derived from the first. Each
// domain keeps its words in its own file; they meet here in one lookup, and a key defined in two
// files stops the program at start rather than one silently hiding the other.
var messages = merge(errorMessages, siteMessages, citizenMessages, counterMessages, speechMessages, casesMessages,
	backofficeMessages, hallFixMessages, appointmentMessages, ratingsMessages, forecastMessages, trustMessages)

func merge(parts ...map[string][2]string) map[string][2]string {
	out := map[string][2]string{}
	for _, p := range parts {
		for k, v := range p {
			if _, dup := out[k]; dup {
				panic("i18n: message " + k + " is defined twice")
			}
			out[k] = v
		}
	}
	return out
}
