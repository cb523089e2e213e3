package sheet

// labels are the visible texts of a template in one language.
type labels struct {
	title, unit, units, period, howTo            string
	stt, name, uom, value                        string
	code, option, periodCol, check, version      string
	dataSheet                                    string
	dvTitle, dvWhole, dvWholeMin, dvDecimal      string
	dvList, dvText, inputTitle, inputNum, inputT string
}

var labelsVI = labels{
	title:  "BIỂU NHẬP SỐ LIỆU BÁO CÁO",
	unit:   "Đơn vị: ",
	units:  "Số đơn vị: ",
	period: "Kỳ báo cáo: ",
	howTo: "Chỉ nhập vào các ô màu vàng, nhập số (không nhập chữ, không dùng công thức). " +
		"Để trống ô nghĩa là không thay đổi; xóa số đã có nghĩa là xóa số liệu đó. " +
		"Không thêm, xóa hay di chuyển dòng, cột.",
	stt:        "STT",
	name:       "Chỉ tiêu",
	uom:        "Đơn vị tính",
	value:      "Số liệu",
	code:       "Mã chỉ tiêu",
	option:     "Phân tổ",
	periodCol:  "Kỳ",
	check:      "Kiểm tra",
	version:    "Phiên bản",
	dataSheet:  "Số liệu",
	dvTitle:    "Giá trị không hợp lệ",
	dvWhole:    "Hãy nhập số nguyên.",
	dvWholeMin: "Hãy nhập số nguyên không âm.",
	dvDecimal:  "Hãy nhập số.",
	dvList:     "Hãy chọn trong danh sách.",
	dvText:     "Văn bản quá dài.",
	inputTitle: "Nhập số liệu",
	inputNum:   "Nhập số; để trống nếu không thay đổi.",
	inputT:     "Nhập văn bản ngắn.",
}

var labelsEN = labels{
	title:  "REPORT DATA ENTRY FORM",
	unit:   "Unit: ",
	units:  "Units: ",
	period: "Period: ",
	howTo: "Type only into the yellow cells, numbers only (no text, no formulas). " +
		"An empty cell means no change; deleting a stored number deletes that value. " +
		"Do not insert, delete or move rows or columns.",
	stt:        "No.",
	name:       "Indicator",
	uom:        "Unit of measure",
	value:      "Value",
	code:       "Indicator code",
	option:     "Option",
	periodCol:  "Period",
	check:      "Check",
	version:    "Version",
	dataSheet:  "Data",
	dvTitle:    "Invalid value",
	dvWhole:    "Enter a whole number.",
	dvWholeMin: "Enter a whole number, not negative.",
	dvDecimal:  "Enter a number.",
	dvList:     "Choose from the list.",
	dvText:     "The text is too long.",
	inputTitle: "Value",
	inputNum:   "Enter a number; leave empty for no change.",
	inputT:     "Enter a short text.",
}

func labelsFor(lang string) labels {
	if lang == "en" {
		return labelsEN
	}
	return labelsVI
}
