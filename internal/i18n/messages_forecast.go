package i18n

// forecastMessages: staffing arithmetic, simulation and forecasts.
var forecastMessages = map[string][2]string{
	"staffing_param_missing":     {"缺少参数 %v", "The parameter %v is missing"},
	"staffing_param_range":       {"参数 %v 的值 %v 不正确，应为 %v 到 %v 之间的数", "The parameter %v = %v is not valid: give a number from %v to %v"},
	"staffing_windows_or_level":  {"请给出 windows（窗口数，整数）或 service_level（目标服务水平）二者之一", "Give either windows (a whole number) or service_level, not both"},
	"staffing_level_unreachable": {"%v 个窗口以内无法达到该服务水平", "No number of windows up to %v meets that service level"},
	"staffing_too_large":         {"规模过大，无法计算（排队过长且耐心等待时间过长），请缩小参数", "Too large to compute (a very long queue with very long patience); use smaller figures"},
}
