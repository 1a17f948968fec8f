Gem::Specification.new do |spec|
  spec.name = "gitgem"
  spec.version = "0.0.7"
  spec.summary = "Portcullis fixture: a gitgem"
  spec.authors = ["Portcullis fixture authors"]
  spec.files = []
end
